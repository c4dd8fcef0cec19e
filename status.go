package kewei

import (
	"context"
	"time"
)

// SystemStatus is how the installation is doing, for administrators.
type SystemStatus struct {
	Version   string       `json:"version"`
	Started   time.Time    `json:"started"`
	Uptime    string       `json:"uptime"`
	Database  string       `json:"database" doc:"sqlite or postgres."`
	Schema    string       `json:"schema" doc:"The last migration applied."`
	Pools     []PoolStatus `json:"pools"`
	Jobs      []JobCount   `json:"jobs" doc:"The job queue by state."`
	Runs      []JobRun     `json:"runs" doc:"The last run of each scheduled job in this process."`
	Requests  int64        `json:"requests" doc:"Requests served since start."`
	Errors    int64        `json:"errors" doc:"Of them, answered with a 5xx status."`
	Goroutine int          `json:"goroutines"`
	HeapMB    int          `json:"heap_mb"`
}

// PoolStatus is one connection pool.
type PoolStatus struct {
	Name        string  `json:"name"`
	Open        int     `json:"open"`
	InUse       int     `json:"in_use"`
	Idle        int     `json:"idle"`
	WaitCount   int64   `json:"wait_count"`
	WaitSeconds float64 `json:"wait_seconds"`
}

// JobCount is how many jobs are in one state.
type JobCount struct {
	State string `json:"state"`
	Count int    `json:"count"`
}

// JobRun is one run of a scheduled job.
type JobRun struct {
	Job   string    `json:"job"`
	At    time.Time `json:"at"`
	Took  string    `json:"took"`
	Error string    `json:"error,omitempty"`
}

// StatusService reports the installation's status (administrators).
type StatusService interface {
	Status(ctx context.Context) (*SystemStatus, error)
}
