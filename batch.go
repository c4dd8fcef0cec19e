package kewei

// Batch is rows loaded together in one transaction by a bulk load (the
// demo data set, imports). Ids, customer ids and times are set by whoever
// builds it.
type Batch struct {
	Customers    []*Customer
	Contacts     []*Contact
	Holdings     []*Holding
	Transactions []*Transaction
	Interactions []*Interaction
	// Products are put in by code: a code in the catalogue is updated.
	Products []*Product
}

// Rows returns how many rows the batch holds.
func (b *Batch) Rows() int {
	return len(b.Customers) + len(b.Contacts) + len(b.Holdings) + len(b.Transactions) + len(b.Interactions) + len(b.Products)
}
