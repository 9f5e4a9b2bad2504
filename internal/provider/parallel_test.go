package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// parallelTest runs c offline, as resource.UnitTest does, and in parallel
// with the package's other parallel tests: most of a provider test is
// waiting for the Terraform CLI. (resource.ParallelTest alone would skip
// the test unless TF_ACC is set.)
//
// Every top-level test that runs the CLI is parallel (TestTestsRunInParallel
// holds them to it) but one that sets a variable of the process: t.Setenv
// forbids t.Parallel, and a sequential top-level test holds back every
// parallel one until it ends. Those are the tests that set a TF_* variable
// Terraform or terraform-plugin-testing reads, and
// TestProvider_EnvironmentFallback, which proves the provider reads its
// backend variables from the process; the others hand the provider its
// backend variables (ZAPI_*, ENVIAAI_*) through factoriesWithEnv. Inside a
// parallel test, steps or subtests that share something mutable (an
// emulator whose faults or request count they switch or read) run one
// after another with resource.UnitTest. A test that checks a time against
// an emulator's clock calls t.Parallel before it makes the emulator: a
// parallel test can wait long after its start.
func parallelTest(t *testing.T, c resource.TestCase) {
	t.Helper()
	c.IsUnitTest = true
	resource.ParallelTest(t, c)
}

// cliRunners are the calls through which a test runs a Terraform CLI.
var cliRunners = []string{"UnitTest", "ParallelTest", "parallelTest", "runStep", "Command", "CommandContext"}

// sequentialHelpers set environment variables for the whole test, which
// t.Setenv allows only in a test that is not parallel.
var sequentialHelpers = []string{"Setenv", "clearEnv", "asPublished", "traceLogs"}

// Every top-level test in this package that runs a Terraform CLI runs in
// parallel with the others, unless it sets the environment: a top-level
// test that is not parallel holds back every other, its parallel subtests
// included, until it ends. Most of these tests' time is spent waiting for
// the CLI, which the other tests' CLIs can fill.
func TestTestsRunInParallel(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Body == nil {
				continue
			}
			if callsAnywhere(fn.Body, cliRunners...) && !callsAtTopLevel(fn.Body, "Parallel", "parallelTest") && !callsAnywhere(fn.Body, sequentialHelpers...) {
				t.Errorf("%s: %s is not parallel and sets no environment: call t.Parallel() or parallelTest at its top level", fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
}

// callsAtTopLevel reports whether one of body's own statements (not one in
// a function literal, such as a subtest) is a call to one of names.
func callsAtTopLevel(body *ast.BlockStmt, names ...string) bool {
	for _, stmt := range body.List {
		if expr, ok := stmt.(*ast.ExprStmt); ok && isCallTo(expr.X, names) {
			return true
		}
	}
	return false
}

// callsAnywhere reports whether body calls one of names at any depth.
func callsAnywhere(body *ast.BlockStmt, names ...string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok && isCallTo(e, names) {
			found = true
		}
		return !found
	})
	return found
}

func isCallTo(e ast.Expr, names []string) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	var name string
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		name = fun.Name
	case *ast.SelectorExpr:
		name = fun.Sel.Name
	}
	return slices.Contains(names, name)
}
