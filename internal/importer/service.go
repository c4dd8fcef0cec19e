package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/kewei-crm/kewei"
)

// MaxUpload bounds an uploaded file.
const MaxUpload = 2 << 30

// Service runs imports in the background for the API and the pages. The
// uploaded file waits in Dir while it is imported and is removed after;
// uploading the same file again resumes an import that stopped.
type Service struct {
	Runner   *Runner
	Dir      string         // where uploads wait; the system's temporary folder when empty
	Location *time.Location // reads dates without a zone
	Logger   *slog.Logger
	// Done, when set, hears each import that ends, for the metrics.
	Done func(*kewei.Import)

	mu      sync.Mutex
	running map[int64]*running
	wg      sync.WaitGroup
}

// running is an import this server is running.
type running struct {
	cancel context.CancelFunc
	done   float64
}

var _ kewei.ImportService = (*Service)(nil)

// StartImport saves the file, begins the import and runs it in the
// background as the caller.
func (s *Service) StartImport(ctx context.Context, req kewei.ImportRequest, file io.Reader) (*kewei.Import, error) {
	if err := mayImport(ctx); err != nil {
		return nil, err
	}
	if !slices.Contains(Kinds, Kind(req.Kind)) {
		var p kewei.Problems
		p.Add("kind", kewei.ReasonUnknownChoice, "must be customers, contacts, holdings, transactions or interactions")
		return nil, p.Err()
	}
	path, err := s.save(file)
	if err != nil {
		return nil, err
	}
	opt := Options{Kind: Kind(req.Kind), Path: path, Name: req.FileName, DryRun: req.DryRun, CreateCustomers: req.CreateCustomers,
		Again: req.Again, Overrides: req.Mapping, Location: s.Location}
	if opt.Name == "" {
		opt.Name = req.Kind + ".csv"
	}
	job, err := s.Runner.Begin(ctx, opt)
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	imp := job.Import()
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	run := &running{cancel: cancel}
	s.mu.Lock()
	if s.running == nil {
		s.running = map[int64]*running{}
	}
	s.running[imp.ID] = run
	s.mu.Unlock()
	job.opt.Progress = func(_ *kewei.Import, done float64) {
		s.mu.Lock()
		run.done = done
		s.mu.Unlock()
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer os.Remove(path)
		defer cancel()
		done, err := job.Run(runCtx)
		if err != nil && !errors.Is(err, context.Canceled) && s.Logger != nil {
			s.Logger.Error("import", "id", imp.ID, "err", err)
		}
		if done != nil && s.Done != nil {
			s.Done(done)
		}
		s.mu.Lock()
		delete(s.running, imp.ID)
		s.mu.Unlock()
	}()
	return &imp, nil
}

// mayImport refuses roles that see no customers.
func mayImport(ctx context.Context) error {
	a, err := kewei.RequireActor(ctx)
	if err != nil {
		return err
	}
	if a.ScopeOf(kewei.ObjectCustomers) == kewei.ScopeNone {
		return kewei.Errorf(kewei.EFORBIDDEN, "your role imports nothing")
	}
	return nil
}

// save writes the upload to a file of its own, refusing one over MaxUpload.
func (s *Service) save(file io.Reader) (string, error) {
	dir := s.Dir
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "kewei-import-*")
	if err != nil {
		return "", err
	}
	n, err := io.Copy(f, io.LimitReader(file, MaxUpload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		os.Remove(f.Name())
		return "", fmt.Errorf("receive the file: %w", err)
	case n > MaxUpload:
		os.Remove(f.Name())
		return "", kewei.Errorf(kewei.EINVALID, "the file is larger than %d GiB", MaxUpload>>30)
	case n == 0:
		os.Remove(f.Name())
		return "", kewei.Errorf(kewei.EINVALID, "the file is empty")
	}
	return f.Name(), nil
}

// CancelImport stops an import this server is running.
func (s *Service) CancelImport(ctx context.Context, id int64) error {
	imp, err := s.FindImport(ctx, id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	run := s.running[imp.ID]
	s.mu.Unlock()
	if run == nil {
		return kewei.Errorf(kewei.ECONFLICT, "import %d is not running in this server", id)
	}
	run.cancel()
	return nil
}

// FindImport returns an import with its progress.
func (s *Service) FindImport(ctx context.Context, id int64) (*kewei.Import, error) {
	if err := mayImport(ctx); err != nil {
		return nil, err
	}
	imp, err := s.Runner.Store.FindImport(ctx, id)
	if err != nil {
		return nil, err
	}
	s.progress(imp)
	return imp, nil
}

// FindImports returns the latest imports with their progress.
func (s *Service) FindImports(ctx context.Context) ([]*kewei.Import, error) {
	if err := mayImport(ctx); err != nil {
		return nil, err
	}
	list, err := s.Runner.Store.FindImports(ctx)
	for _, imp := range list {
		s.progress(imp)
	}
	return list, err
}

func (s *Service) progress(imp *kewei.Import) {
	if imp.Status != kewei.ImportRunning {
		imp.Progress = 1
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if run := s.running[imp.ID]; run != nil {
		imp.Progress = run.done
	}
}

// ImportProblems streams an import's problems.
func (s *Service) ImportProblems(ctx context.Context, id int64, fn func(kewei.ImportProblem) error) error {
	if err := mayImport(ctx); err != nil {
		return err
	}
	return s.Runner.Store.ImportProblems(ctx, id, fn)
}

// Close cancels the running imports and waits for them to record where
// they stopped.
func (s *Service) Close() {
	s.mu.Lock()
	for _, run := range s.running {
		run.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}
