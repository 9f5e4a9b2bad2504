package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testManifest = `{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`

// writeDist writes what a snapshot build of version 1.2.3 leaves in dist,
// with edit applied to the binary names before the zips are written.
func writeDist(t *testing.T, binaryName func(platform, binary string) string) (dist, manifest string) {
	t.Helper()
	dir := t.TempDir()
	dist = filepath.Join(dir, "dist")
	manifest = filepath.Join(dir, "terraform-registry-manifest.json")
	if err := os.MkdirAll(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path string, b []byte) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(manifest, []byte(testManifest))
	write(filepath.Join(dist, "metadata.json"), []byte(`{"project_name":"terraform-provider-whatsapp","tag":"v1.2.2","version":"1.2.3"}`))
	var sums strings.Builder
	sum := func(file string, b []byte) {
		s := sha256.Sum256(b)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(s[:]), file)
	}
	for _, p := range platforms {
		binary := "terraform-provider-whatsapp_v1.2.3"
		if strings.HasPrefix(p, "windows_") {
			binary += ".exe"
		}
		var buf strings.Builder
		zw := zip.NewWriter(&buf)
		for _, n := range []string{binaryName(p, binary), "README.md"} {
			w, err := zw.Create(n)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprint(w, "content of "+n)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		archive := "terraform-provider-whatsapp_1.2.3_" + p + ".zip"
		write(filepath.Join(dist, archive), []byte(buf.String()))
		sum(archive, []byte(buf.String()))
	}
	sum("terraform-provider-whatsapp_1.2.3_manifest.json", []byte(testManifest))
	write(filepath.Join(dist, "terraform-provider-whatsapp_1.2.3_SHA256SUMS"), []byte(sums.String()))
	return dist, manifest
}

func asIs(_, binary string) string { return binary }

func TestCheck(t *testing.T) {
	dist, manifest := writeDist(t, asIs)
	if err := check(dist, manifest); err != nil {
		t.Fatalf("a good release: %v", err)
	}

	sumsFile := "terraform-provider-whatsapp_1.2.3_SHA256SUMS"
	for name, tc := range map[string]struct {
		binary func(platform, binary string) string
		edit   func(t *testing.T, dist, manifest string)
		want   string
	}{
		"binary in a folder": {
			binary: func(p, b string) string {
				if p == "linux_arm" {
					return "bin/" + b
				}
				return b
			},
			want: "linux_arm.zip does not hold terraform-provider-whatsapp_v1.2.3 at its root",
		},
		"windows binary without .exe": {
			binary: func(_, b string) string { return strings.TrimSuffix(b, ".exe") },
			want:   "windows_386.zip does not hold terraform-provider-whatsapp_v1.2.3.exe",
		},
		"an archive missing": {
			edit: func(t *testing.T, dist, _ string) {
				if err := os.Remove(filepath.Join(dist, "terraform-provider-whatsapp_1.2.3_freebsd_arm64.zip")); err != nil {
					t.Fatal(err)
				}
			},
			want: "freebsd_arm64.zip: no such file",
		},
		"an archive changed after its sum": {
			edit: func(t *testing.T, dist, _ string) {
				f, err := os.OpenFile(filepath.Join(dist, "terraform-provider-whatsapp_1.2.3_darwin_arm64.zip"), os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprint(f, "x")
				f.Close()
			},
			want: "the sum of terraform-provider-whatsapp_1.2.3_darwin_arm64.zip is wrong",
		},
		"the manifest not in the sums": {
			edit: func(t *testing.T, dist, _ string) {
				path := filepath.Join(dist, sumsFile)
				b, _ := os.ReadFile(path)
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				if err := os.WriteFile(path, []byte(strings.Join(lines[:len(lines)-1], "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: "want the archives and the manifest",
		},
		"a manifest for protocol 5": {
			edit: func(t *testing.T, _, manifest string) {
				if err := os.WriteFile(manifest, []byte(`{"version": 1, "metadata": {"protocol_versions": ["5.0"]}}`), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: "naming protocol 6.0",
		},
	} {
		t.Run(name, func(t *testing.T) {
			binary := tc.binary
			if binary == nil {
				binary = asIs
			}
			dist, manifest := writeDist(t, binary)
			if tc.edit != nil {
				tc.edit(t, dist, manifest)
			}
			err := check(dist, manifest)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}
