package kewei

import (
	"context"
	"time"
)

// PurchaseKind says whether a product is bought once or again and again.
type PurchaseKind string

// Purchase kinds: a car or a policy is bought once and replaced or renewed;
// fuel, consumables and fees are bought again and again.
const (
	PurchaseOnce   PurchaseKind = "once"
	PurchaseRepeat PurchaseKind = "repeat"
)

// PurchaseKinds lists every kind.
var PurchaseKinds = []PurchaseKind{PurchaseOnce, PurchaseRepeat}

// Enum lists the allowed values, for the OpenAPI document.
func (PurchaseKind) Enum() []string { return enumStrings(PurchaseKinds) }

// Product is one entry of the catalogue. Holdings and transactions name
// their product by text; a text equal to a product's code, or else to its
// name, links them to it.
type Product struct {
	ID         int64        `json:"id" kewei:"readonly"`
	Code       string       `json:"code" doc:"Unique, e.g. a model or SKU code."`
	Name       string       `json:"name"`
	Category   string       `json:"category" doc:"car, deposit, insurance, plan … as the business names them."`
	Price      Money        `json:"price" doc:"List price."`
	Purchase   PurchaseKind `json:"purchase" doc:"once (never recommended to a customer who holds or bought it) or repeat."`
	LifeMonths int          `json:"life_months" doc:"Months it is usually kept before it is replaced or renewed (a car about 72, a one-year deposit 12); 0 when it has no life cycle."`
	Active     bool         `json:"active" doc:"Still sold."`
	Note       string       `json:"note"`
	CreatedAt  time.Time    `json:"created_at" kewei:"readonly"`
	UpdatedAt  time.Time    `json:"updated_at" kewei:"readonly"`
	Version    int          `json:"version" kewei:"readonly"`
}

// Validate normalizes p and names every bad field.
func (p *Product) Validate() error {
	var ps Problems
	ps.checkText("code", &p.Code, true, 64)
	ps.checkText("name", &p.Name, true, 200)
	ps.checkText("category", &p.Category, false, 50)
	ps.checkText("note", &p.Note, false, 2000)
	if p.Purchase == "" {
		p.Purchase = PurchaseRepeat
	}
	checkEnum(&ps, "purchase", p.Purchase, PurchaseKinds, true)
	if p.Price < 0 {
		ps.Add("price", ReasonOutOfRange, "cannot be negative")
	}
	if p.LifeMonths < 0 || p.LifeMonths > 1200 {
		ps.Add("life_months", ReasonOutOfRange, "must be between 0 and 1200 months")
	}
	return ps.Err()
}

// ProductFilter narrows the catalogue.
type ProductFilter struct {
	Query    string // in the code or the name
	Category string
	Active   *bool
}

// ProductService keeps the catalogue. Everyone signed in reads it;
// administrators change it, each change audited.
type ProductService interface {
	FindProducts(ctx context.Context, f ProductFilter) ([]*Product, error)
	FindProduct(ctx context.Context, id int64) (*Product, error)
	CreateProduct(ctx context.Context, p *Product) error
	UpdateProduct(ctx context.Context, id int64, patch Patch) (*Product, error)
	// DeleteProduct removes a product if version is current; what named
	// it keeps its text.
	DeleteProduct(ctx context.Context, id int64, version int) error
	// OneOffsOf returns the texts (codes and names) of the one-off
	// products a customer in scope holds (an active holding) or bought.
	OneOffsOf(ctx context.Context, customerID int64) ([]string, error)
}
