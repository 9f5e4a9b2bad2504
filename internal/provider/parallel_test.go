package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// parallelTest runs c offline, as resource.UnitTest does, and in parallel
// with the package's other parallel tests: most of a provider test is
// waiting for the Terraform CLI. (resource.ParallelTest alone would skip
// the test unless TF_ACC is set.)
//
// A test hands the provider its backend variables (ZAPI_*, ENVIAAI_*)
// through factoriesWithEnv, not t.Setenv, so that it can run here. A test
// stays on resource.UnitTest when it or a parent sets a variable of the
// process (t.Setenv forbids t.Parallel): a TF_* one that Terraform or
// terraform-plugin-testing reads (such a test may then set backend ones
// there too), or the backend ones in TestProvider_EnvironmentFallback,
// which proves the provider reads them from the process. It also stays
// when it shares something mutable with another test that could run
// beside it (an emulator whose faults or request count it reads or
// switches, or a provider value), or when it checks a time against the
// clock of an emulator made before the call: a top-level parallel test
// starts only after every sequential top-level test has finished.
func parallelTest(t *testing.T, c resource.TestCase) {
	t.Helper()
	c.IsUnitTest = true
	resource.ParallelTest(t, c)
}
