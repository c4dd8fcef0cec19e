package demo

import "github.com/kewei-crm/kewei"

// Catalogue is the demo's product catalogue: the cars (bought once, kept
// about six years), the bank's products (a deposit or policy runs a year
// and is renewed), and the services and fees bought again and again.
func Catalogue() []*kewei.Product {
	var out []*kewei.Product
	add := func(ps []product, code string, purchase kewei.PurchaseKind, months int) {
		for i, p := range ps {
			out = append(out, &kewei.Product{Code: code + "-" + string(rune('A'+i)), Name: p.name, Category: p.category,
				Price: kewei.Money(p.min * 100), Purchase: purchase, LifeMonths: months, Active: true})
		}
	}
	add(cars, "CAR", kewei.PurchaseOnce, 72)
	add(carServices, "SVC", kewei.PurchaseRepeat, 0)
	add(bankProducts, "BNK", kewei.PurchaseOnce, 12)
	add(bankFees, "FEE", kewei.PurchaseRepeat, 0)
	return out
}
