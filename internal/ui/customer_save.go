package ui

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
)

func (s *Server) customerNew(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "customers.new", "customers")
	p.Form.Set("stage", "prospect")
	p.Form.Set("kind", "individual")
	s.customerForm(w, r, p, http.StatusOK, "/customers")
}

func (s *Server) customerEdit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.svc.Customers.FindCustomerByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "customer.edit", "customers")
	p.Form = customerValues(c)
	s.customerForm(w, r, p, http.StatusOK, "/customers/"+itoa(id))
}

func (s *Server) customerForm(w http.ResponseWriter, r *http.Request, p *page, status int, cancel string) {
	inputs, err := s.customerInputs(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = &formPage{Inputs: inputs, Cancel: cancel}
	s.render(w, r, status, "customer_form", p)
}

// customerCreate stores a new customer, or shows the form again with the
// input kept and each error beside its field.
func (s *Server) customerCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	var c kewei.Customer
	b, _ := json.Marshal(customerFields(r.PostForm, nil))
	err := json.Unmarshal(b, &c)
	if err == nil {
		err = s.svc.Customers.CreateCustomer(r.Context(), &c)
	}
	if err == nil {
		http.Redirect(w, r, "/customers/"+itoa(c.ID)+"?done=created", http.StatusSeeOther)
		return
	}
	s.formFailed(w, r, s.newPage(r, "customers.new", "customers"), err, "/customers")
}

// customerSave applies the edit form as a patch on the version it showed.
func (s *Server) customerSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	old, err := s.svc.Customers.FindCustomerByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	p := kewei.Patch{Version: max(version, 1)}
	for k, v := range customerFields(r.PostForm, old.Masked) {
		p.Set(k, v)
	}
	if _, err = s.svc.Customers.UpdateCustomer(r.Context(), id, p); err == nil {
		http.Redirect(w, r, "/customers/"+itoa(id)+"?done=saved", http.StatusSeeOther)
		return
	}
	s.formFailed(w, r, s.newPage(r, "customer.edit", "customers"), err, "/customers/"+itoa(id))
}

// formFailed shows the customer form again after a refused save.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, p *page, err error, cancel string) {
	switch kewei.ErrorCode(err) {
	case kewei.EINVALID, kewei.ECONFLICT, kewei.EFORBIDDEN:
	default:
		s.fail(w, r, err)
		return
	}
	p.Form = r.PostForm
	formErrors(p, err)
	if kewei.ErrorCode(err) == kewei.ECONFLICT {
		p.Errors[""] = p.L.T("error.conflict")
	}
	s.customerForm(w, r, p, http.StatusBadRequest, cancel)
}
