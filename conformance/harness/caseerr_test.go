package harness_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/harness"
)

// TestCaseErrorIsTheCasesFailure checks that a case that did not load is
// that case's failure in Replay and Record, without starting fixtures or
// the runner, while the other cases of its file run.
func TestCaseErrorIsTheCasesFailure(t *testing.T) {
	cases, err := conformance.Parse("test.json", []byte(`[
		{"name": "t/a", "steps": [{"note": "a"}]},
		{"name": "t/bad", "steps": [{"note": "a"}, {"call": "system", "args": ["id"]}]},
		{"name": "t/b", "steps": [{"note": "b"}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	var made []*fakeFixtures
	var mu sync.Mutex
	ran := map[string]bool{}
	r := runnerFunc(func(ctx context.Context, c *conformance.Case, fx harness.Fixtures) ([]*conformance.Obs, error) {
		mu.Lock()
		defer mu.Unlock()
		ran[c.Name] = true
		return []*conformance.Obs{{}}, nil
	})
	opt := &harness.Options{Certs: "/c", Start: fakeStart(t, &made)}
	rec, failed := harness.Replay(context.Background(), r, cases, opt)
	if len(failed) != 1 || failed[0].Name != "t/bad" || !strings.Contains(failed[0].Reason, `unknown call "system"`) {
		t.Fatalf("failures %v, want t/bad's case error", failed)
	}
	if ran["t/bad"] || !ran["t/a"] || !ran["t/b"] || len(made) != 2 {
		t.Errorf("ran %v with %d fixture sets, want t/a and t/b only", ran, len(made))
	}
	if res := rec.Cases["t/bad"]; res == nil || !strings.Contains(res.Failure, "steps[1]") || len(rec.Order) != 3 {
		t.Errorf("t/bad's result %+v, order %v", res, rec.Order)
	}
	_, err = harness.RunCase(context.Background(), r, cases[1], opt)
	var ce *conformance.CaseError
	if !errors.As(err, &ce) || ce.Case != "t/bad" || ce.Field != "steps[1]" {
		t.Errorf("RunCase error %v, want the *CaseError", err)
	}
	got, refused := harness.Record(context.Background(), r, cases, opt)
	if len(refused) != 1 || refused[0].Name != "t/bad" || len(got.Order) != 2 {
		t.Errorf("Record refused %v and kept %v, want t/bad refused only", refused, got.Order)
	}
}
