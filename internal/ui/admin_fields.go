package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

type fieldsPage struct {
	Fields kewei.CustomFieldSet
	Inputs []input
}

func (s *Server) fieldsPage(w http.ResponseWriter, r *http.Request) {
	s.renderFields(w, r, nil)
}

func (s *Server) renderFields(w http.ResponseWriter, r *http.Request, formErr error) {
	ctx := r.Context()
	if !kewei.ActorFrom(ctx).IsAdmin() {
		s.fail(w, r, kewei.Errorf(kewei.EFORBIDDEN, "administrators only"))
		return
	}
	defs, err := s.svc.CustomFields.FindCustomFields(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "admin.fields", "admin")
	var types []option
	for _, t := range kewei.FieldTypes {
		types = append(types, option{string(t), p.L.T("cf.type." + string(t))})
	}
	p.Data = &fieldsPage{Fields: defs, Inputs: []input{
		{Name: "key", Label: p.L.T("cf.key"), Hint: "car_model"},
		{Name: "label_zh", Label: p.L.T("cf.label_zh")},
		{Name: "label_en", Label: p.L.T("cf.label_en")},
		{Name: "type", Label: p.L.T("cf.type"), Options: types},
		{Name: "choices", Label: p.L.T("cf.choices"), Hint: p.L.T("hint.tags")},
		{Name: "required", Label: p.L.T("cf.required"), Type: "checkbox"},
		{Name: "sensitive", Label: p.L.T("cf.sensitive"), Type: "checkbox"},
	}}
	status := http.StatusOK
	if formErr != nil {
		p.Form = r.PostForm
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "fields", p)
}

func (s *Server) fieldCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := &kewei.CustomField{Key: strings.TrimSpace(r.PostForm.Get("key")), LabelZH: r.PostForm.Get("label_zh"),
		LabelEN: r.PostForm.Get("label_en"), Type: kewei.FieldType(r.PostForm.Get("type")),
		Required: r.PostForm.Get("required") == "true", Sensitive: r.PostForm.Get("sensitive") == "true"}
	f.Choices = splitList(r.PostForm.Get("choices"))
	if err := s.svc.CustomFields.CreateCustomField(r.Context(), f); err != nil {
		if kewei.ErrorCode(err) == kewei.EINVALID || kewei.ErrorCode(err) == kewei.ECONFLICT {
			s.renderFields(w, r, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/fields?done=created", http.StatusSeeOther)
}

// fieldSave changes a field's labels, choices and flags.
func (s *Server) fieldSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	p := kewei.Patch{Version: max(version, 1)}
	p.Set("label_zh", r.PostForm.Get("label_zh")).Set("label_en", r.PostForm.Get("label_en")).
		Set("required", r.PostForm.Get("required") == "true").Set("sensitive", r.PostForm.Get("sensitive") == "true")
	if _, ok := r.PostForm["choices"]; ok {
		p.Set("choices", splitList(r.PostForm.Get("choices")))
	}
	if _, err := s.svc.CustomFields.UpdateCustomField(r.Context(), id, p); err != nil {
		if kewei.ErrorCode(err) == kewei.EINVALID || kewei.ErrorCode(err) == kewei.ECONFLICT {
			s.renderFields(w, r, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/fields?done=saved", http.StatusSeeOther)
}

// splitList reads a list typed with commas, Chinese commas or 、.
func splitList(v string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) fieldDelete(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, err := pathID(r)
	if err == nil {
		version, _ := strconv.Atoi(r.PostForm.Get("version"))
		err = s.svc.CustomFields.DeleteCustomField(r.Context(), id, version)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/fields?done=deleted", http.StatusSeeOther)
}
