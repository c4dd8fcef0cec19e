package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// assets serves the embedded static files under content-hash URLs,
// /static/HASH/app.css, cached for a year: a changed file gets a new URL.
type assets struct {
	urls  map[string]string // name → URL
	files map[string][]byte // URL path → content
}

func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, files: map[string][]byte{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		url := "/static/" + hex.EncodeToString(sum[:6]) + "/" + name
		a.urls[name], a.files[url] = url, b
		return nil
	})
	return a, err
}

// url returns the content-hash URL of a static file.
func (a *assets) url(name string) string {
	if u, ok := a.urls[name]; ok {
		return u
	}
	panic("ui: no static file " + name)
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, ok := a.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(r.URL.Path)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}
