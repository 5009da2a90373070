package harness

import (
	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/fixture"
)

// startFixtures is the default Options.Start.
func startFixtures(c *conformance.Case, certs string) (Fixtures, error) {
	s, err := fixture.Start(c, certs)
	if err != nil {
		return nil, err
	}
	return s, nil
}
