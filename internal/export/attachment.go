package export

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/kewei-crm/kewei"
)

// Attachment writes a stored file as a download: never shown inside a
// page, never sniffed into another type.
func Attachment(w http.ResponseWriter, a *kewei.Attachment, data []byte) {
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
