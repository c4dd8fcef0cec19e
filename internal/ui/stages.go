package ui

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kewei-crm/kewei"
)

// stagesPage lets administrators rename, reorder, add and remove the
// pipeline's stages.
func (s *Server) stagesPage(w http.ResponseWriter, r *http.Request) {
	s.renderStages(w, r, nil, nil)
}

func (s *Server) renderStages(w http.ResponseWriter, r *http.Request, stages []kewei.PipelineStage, formErr error) {
	if !kewei.ActorFrom(r.Context()).IsAdmin() {
		s.fail(w, r, kewei.Errorf(kewei.EFORBIDDEN, "administrators only"))
		return
	}
	if stages == nil {
		var err error
		if stages, err = s.svc.Opportunities.Stages(r.Context()); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p := s.newPage(r, "admin.stages", "admin")
	status := http.StatusOK
	if formErr != nil {
		formErrors(p, formErr)
		status = http.StatusBadRequest
	}
	p.Data = stages
	s.render(w, r, status, "stages", p)
}

// stagesSave reads the rows of the stages form: each row's id, name,
// English name, probability, kind and position; rows marked for removal
// and blank new rows are left out.
func (s *Server) stagesSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	type row struct {
		stage kewei.PipelineStage
		pos   float64
	}
	var rows []row
	for i := range len(f["id"]) {
		at := func(k string) string {
			if v := f[k]; i < len(v) {
				return strings.TrimSpace(v[i])
			}
			return ""
		}
		id, _ := strconv.ParseInt(at("id"), 10, 64)
		if at("remove") == "1" || (id == 0 && at("name") == "") {
			continue
		}
		st := kewei.PipelineStage{ID: id, Name: at("name"), NameEN: at("name_en"), Kind: kewei.StageKind(at("kind"))}
		st.Probability, _ = strconv.Atoi(at("probability"))
		pos, err := strconv.ParseFloat(at("position"), 64)
		if err != nil {
			pos = float64(i + 1)
		}
		rows = append(rows, row{st, pos})
	}
	// A stable sort by the positions typed keeps equal positions in form order.
	slices.SortStableFunc(rows, func(a, b row) int { return cmp.Compare(a.pos, b.pos) })
	stages := make([]kewei.PipelineStage, len(rows))
	for i, rw := range rows {
		stages[i] = rw.stage
	}
	if _, err := s.svc.Opportunities.SetStages(r.Context(), stages); err != nil {
		if c := kewei.ErrorCode(err); c == kewei.EINVALID || c == kewei.ECONFLICT {
			s.renderStages(w, r, nil, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/stages?done=saved", http.StatusSeeOther)
}
