package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// make install puts the provider where both CLIs look without any CLI
// configuration: ~/.terraform.d/plugins/<registry host>/whatsapp-tf/whatsapp.
// Terraform looks under registry.terraform.io and OpenTofu under
// registry.opentofu.org. The test installs into a temporary HOME and runs
// init with the CLI named by TF_ACC_TERRAFORM_PATH, Terraform or OpenTofu.
func TestMakeInstall_InitFindsTheProvider(t *testing.T) {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH names no Terraform or OpenTofu CLI (make test sets it)")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	home := t.TempDir()
	env := isolatedEnv(t, home)

	install := exec.Command("make", "install")
	install.Env = env
	out, err := install.CombinedOutput()
	if err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	platform := runtime.GOOS + "_" + runtime.GOARCH
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		bin := filepath.Join(home, ".terraform.d", "plugins", host, "whatsapp-tf", "whatsapp", "0.0.1", platform, "terraform-provider-whatsapp_v0.0.1")
		if info, err := os.Stat(bin); err != nil || info.Mode()&0o111 == 0 {
			t.Errorf("%s: not installed as an executable (%v)", bin, err)
		}
	}

	dir := t.TempDir()
	config := `terraform {
  required_providers {
    whatsapp = {
      source  = "whatsapp-tf/whatsapp"
      version = "0.0.1"
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-input=false", "-no-color"}, {"validate", "-no-color"}} {
		cmd := exec.Command(cli, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(cli), args[0], err, out)
		}
	}
	lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`provider "registry\.(terraform\.io|opentofu\.org)/whatsapp-tf/whatsapp" \{\s+version\s+= "0\.0\.1"`)
	if !want.Match(lock) {
		t.Errorf("the lock file does not hold the installed provider:\n%s", lock)
	}
}

// isolatedEnv is this process's environment with HOME replaced and the CLI
// settings that could lead either CLI elsewhere removed. Go keeps its own
// caches, so the build in make install reuses them instead of starting cold.
func isolatedEnv(t *testing.T, home string) []string {
	t.Helper()
	keep := map[string]string{}
	for _, name := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOENV", "GOTELEMETRYDIR"} {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		if v := strings.TrimSpace(string(out)); v != "" {
			keep[name] = v
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "HOME", keep[name] != "",
			strings.HasPrefix(name, "TF_CLI_CONFIG"), name == "TF_PLUGIN_CACHE_DIR", name == "TF_DATA_DIR",
			strings.HasPrefix(name, "XDG_"):
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HOME="+home, "CHECKPOINT_DISABLE=1")
	for name, v := range keep {
		env = append(env, name+"="+v)
	}
	return env
}
