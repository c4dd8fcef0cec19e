package ui

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/i18n"
)

//go:embed all:templates
var templateFS embed.FS

// pages holds every page's template, each parsed once with the layout.
type pages struct{ byName map[string]*template.Template }

func parsePages(as *assets) (*pages, error) {
	funcs := template.FuncMap{
		"static": as.url,
		"deref":  func(p any) any { return derefAny(p) },
		"day":    func(t any) kewei.Date { return kewei.DateOf(derefTime(t)) },
		"int64":  func(n int) int64 { return int64(n) },
		"join":   strings.Join,
		"reveal": revealButton,
		"href":   href,
		"list":   func(v ...any) []any { return v },
		"stageName": func(l *i18n.Translator, zh, en string) string {
			if l.Locale == "en" && en != "" {
				return en
			}
			return zh
		},
		"heat":  heat,
		"sub":   func(a, b int) int { return a - b },
		"lower": strings.ToLower,
		"add":   func(a, b int) int { return a + b },
		"has": func(list, v any) bool {
			l := reflect.ValueOf(list)
			for i := 0; l.Kind() == reflect.Slice && i < l.Len(); i++ {
				if l.Index(i).Interface() == v {
					return true
				}
			}
			return false
		},
		"churnValue": churnValue,
		"pct":        func(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" },
		"total": func(m map[string]int) int {
			n := 0
			for _, v := range m {
				n += v
			}
			return n
		},
	}
	names, err := templateFS.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	// Files starting with _ are partials that every page may use.
	shared := []string{"templates/layout.html"}
	for _, n := range names {
		if strings.HasPrefix(n.Name(), "_") {
			shared = append(shared, "templates/"+n.Name())
		}
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(n.Name(), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, append(shared, "templates/"+n.Name())...)
		if err != nil {
			return nil, err
		}
		p.byName[name] = t
	}
	return p, nil
}

// href joins a path and an encoded query string into a link. A query
// written into an attribute after "?" would be escaped again by the
// template, breaking "a=1&b=2"; the path is fixed, so the query cannot
// change where the link goes.
func href(path, query string) template.URL {
	query = strings.TrimPrefix(strings.TrimSuffix(query, "&"), "&")
	if query == "" {
		return template.URL(path)
	}
	return template.URL(path + "?" + query)
}

// page is what every template gets.
type page struct {
	L        *i18n.Translator
	Actor    *kewei.Actor
	Title    string // a message key
	Nav      string
	Path     string
	Flash    string // a message key
	Form     url.Values
	Errors   map[string]string
	Data     any
	Loc      *time.Location
	IsAdmin  bool
	CanAudit bool
	CanData  bool // imports and exports
	Refresh  int  // seconds, for pages that follow running work
}

// newPage starts a page for the request.
func (s *Server) newPage(r *http.Request, title, nav string) *page {
	a := kewei.ActorFrom(r.Context())
	p := &page{L: s.translator(r), Actor: a, Title: title, Nav: nav, Path: r.URL.RequestURI(), Form: url.Values{},
		Errors: map[string]string{}, Loc: s.opt.Location, Flash: flashKey(r.URL.Query().Get("done"))}
	if a != nil {
		p.IsAdmin = a.IsAdmin()
		p.CanAudit = a.ScopeOf(kewei.ObjectAudit) == kewei.ScopeAll
		p.CanData = a.ScopeOf(kewei.ObjectCustomers) != kewei.ScopeNone
	}
	return p
}

// render writes a page with the status; a failure to render is logged and
// shown as a plain error.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.pages.byName[name]
	if !ok {
		panic("ui: no page " + name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.opt.Logger.Error("render page", "page", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// heat grades n against the largest count, 0 to 4, for shading a grid.
func heat(n, most int) int {
	if n == 0 || most == 0 {
		return 0
	}
	return 1 + min(3, 4*n/(most+1))
}

// flashKey turns a ?done= value into a message key, if it is one.
func flashKey(done string) string {
	switch done {
	case "saved", "created", "logged", "deleted", "password", "token", "merged", "unmerged", "dismissed", "retier", "override", "lifted", "task_done", "task_skipped", "tasks_planned", "claimed", "conflict", "retention":
		return "done." + done
	}
	return ""
}

func derefAny(p any) any {
	switch v := p.(type) {
	case *time.Time:
		if v == nil {
			return time.Time{}
		}
		return *v
	case *kewei.Money:
		if v == nil {
			return kewei.Money(0)
		}
		return *v
	}
	return p
}

func derefTime(t any) time.Time {
	switch v := t.(type) {
	case time.Time:
		return v
	case *time.Time:
		if v != nil {
			return *v
		}
	}
	return time.Time{}
}

// revealButton shows a small form that reveals one masked field, when the
// field is masked for the viewer.
func revealButton(p *page, field string) template.HTML {
	d, ok := p.Data.(*customerPage)
	if !ok || !contains(d.Customer.Masked, field) {
		return ""
	}
	return template.HTML(`<form method="post" action="/customers/` + itoa(d.Customer.ID) + `/reveal"><input type="hidden" name="field" value="` +
		template.HTMLEscapeString(field) + `"><button type="submit" class="link">` + template.HTMLEscapeString(p.L.T("customer.reveal")) + `</button></form>`)
}
