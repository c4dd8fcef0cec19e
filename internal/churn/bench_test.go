package churn

import "testing"

// BenchmarkTrain fits the blend on 50,000 synthetic rows.
func BenchmarkTrain(b *testing.B) {
	d := synthetic(50_000, 9)
	for b.Loop() {
		if _, err := Train(d, Blend, DefaultParams()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPredict scores 200,000 synthetic rows.
func BenchmarkPredict(b *testing.B) {
	m, err := Train(synthetic(20_000, 9), Blend, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	d := synthetic(200_000, 10)
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Predict(d); err != nil {
			b.Fatal(err)
		}
	}
}
