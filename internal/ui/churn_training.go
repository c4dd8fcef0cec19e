package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
)

// training runs one churn training at a time in the background, so the
// page that started it can follow it.
type training struct {
	mu sync.Mutex
	st trainingState
}

type trainingState struct {
	Running bool
	Started time.Time
	Err     string
	ModelID int64
}

func (t *training) state() *trainingState {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.st
	return &st
}

// start trains unless a training runs already; the work outlives the
// request but not the actor's rights, which the service checks.
func (t *training) start(ctx context.Context, svc kewei.ChurnService, req kewei.ChurnTrainRequest, log *slog.Logger) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.st.Running {
		return
	}
	t.st = trainingState{Running: true, Started: time.Now()}
	go func() {
		m, err := svc.TrainChurn(context.WithoutCancel(ctx), req)
		t.mu.Lock()
		defer t.mu.Unlock()
		t.st.Running = false
		if err != nil {
			t.st.Err = kewei.ErrorMessage(err)
			if kewei.ErrorCode(err) == kewei.EINTERNAL {
				log.Error("churn training", "err", err)
			}
			return
		}
		t.st.ModelID = m.ID
	}()
}
