package tiering

import (
	"context"
	"fmt"
	"time"

	"github.com/kewei-crm/kewei"
	"github.com/kewei-crm/kewei/internal/value"
)

// CLVFit is a lifetime-value fit on the purchases up to a calibration end.
type CLVFit struct {
	CalibrationEnd kewei.Date        `json:"calibration_end"`
	Customers      int               `json:"customers"`
	Repeaters      int               `json:"repeat_customers"`
	BGNBD          value.BGNBD       `json:"bgnbd"`
	GammaGamma     *value.GammaGamma `json:"gamma_gamma,omitempty"`
	SpendError     string            `json:"spend_error,omitempty" doc:"Why spend could not be fitted, when it could not."`
	Weeks          float64           `json:"horizon_weeks"`
	ExpectedNew    float64           `json:"expected_purchases_new_customer" doc:"E[X(t)] over the horizon for a customer who just bought."`
	Summaries      []value.Summary   `json:"-"`
}

// Prediction is one customer's outlook.
type Prediction struct {
	value.Summary
	Alive     float64 `json:"p_alive"`
	Purchases float64 `json:"expected_purchases"`
	Spend     float64 `json:"expected_spend"`
	Value     float64 `json:"predicted_value"`
}

// FitCLV reads every purchase on or before calEnd and fits BG/NBD, then
// Gamma-Gamma. A purchase model that cannot be fitted is an error; a spend
// model that cannot is reported in SpendError, since purchase counts and
// the probability alive still stand.
func FitCLV(ctx context.Context, st kewei.TierStore, calEnd kewei.Date, weeks float64, loc *time.Location) (*CLVFit, error) {
	if loc == nil {
		loc = time.Local
	}
	var ps []value.Purchase
	err := st.FindPurchases(ctx, dayStart(calEnd, loc).AddDate(0, 0, 1), func(id int64, at time.Time, amt kewei.Money) error {
		ps = append(ps, value.Purchase{CustomerID: id, At: at.In(loc), Amount: amt.Float()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, kewei.Errorf(kewei.EINVALID, "no transactions on or before %s: nothing to fit", calEnd)
	}
	fit := &CLVFit{CalibrationEnd: calEnd, Weeks: weeks}
	fit.Summaries = value.Summarize(ps, time.Date(calEnd.Year, calEnd.Month, calEnd.Day, 0, 0, 0, 0, loc))
	fit.Customers = len(fit.Summaries)
	for _, s := range fit.Summaries {
		if s.X > 0 {
			fit.Repeaters++
		}
	}
	bg, err := value.FitBGNBD(fit.Summaries)
	if err != nil {
		return nil, kewei.Errorf(kewei.EINVALID, "cannot fit the purchase model: %v", err)
	}
	fit.BGNBD = bg
	fit.ExpectedNew = bg.ExpectedNew(weeks)
	if gg, err := value.FitGammaGamma(fit.Summaries); err != nil {
		fit.SpendError = err.Error()
	} else {
		fit.GammaGamma = &gg
	}
	return fit, nil
}

// Predict gives each customer's outlook over the fit's horizon and the
// value of the next months, discounted at annualRate.
func (f *CLVFit) Predict(months int, annualRate float64, each func(p Prediction) error) error {
	for _, s := range f.Summaries {
		p := Prediction{Summary: s, Alive: f.BGNBD.Alive(s), Purchases: f.BGNBD.Expected(f.Weeks, s)}
		if f.GammaGamma != nil {
			p.Spend = f.GammaGamma.ExpectedSpend(s)
			p.Value = value.LifetimeValue(f.BGNBD, *f.GammaGamma, s, months, annualRate)
		}
		if err := each(p); err != nil {
			return fmt.Errorf("customer %d: %w", s.CustomerID, err)
		}
	}
	return nil
}
