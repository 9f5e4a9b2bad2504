// Command release-check checks that the snapshot GoReleaser wrote into a
// dist directory is what the Terraform and OpenTofu registries expect:
//
//   - one terraform-provider-whatsapp_<version>_<os>_<arch>.zip per platform
//     that .goreleaser.yml builds, each holding the binary
//     terraform-provider-whatsapp_v<version> (.exe on Windows) at its root;
//   - terraform-provider-whatsapp_<version>_SHA256SUMS listing exactly those
//     zips and the manifest, every sum right;
//   - the manifest, terraform-provider-whatsapp_<version>_manifest.json, is
//     terraform-registry-manifest.json, naming protocol 6.0.
//
// Usage (from the repo root, after a snapshot build): go run ./scripts/release-check dist
package main

import (
	"archive/zip"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const name = "terraform-provider-whatsapp"

// platforms are those .goreleaser.yml builds.
var platforms = []string{
	"darwin_amd64", "darwin_arm64",
	"freebsd_386", "freebsd_amd64", "freebsd_arm", "freebsd_arm64",
	"linux_386", "linux_amd64", "linux_arm", "linux_arm64",
	"windows_386", "windows_amd64", "windows_arm64",
}

func main() {
	dist := "dist"
	if len(os.Args) > 1 {
		dist = os.Args[1]
	}
	if err := check(dist, "terraform-registry-manifest.json"); err != nil {
		fmt.Fprintln(os.Stderr, "release-check:", err)
		os.Exit(1)
	}
}

func check(dist, manifestPath string) error {
	var meta struct{ Version string }
	b, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
	if err == nil {
		err = json.Unmarshal(b, &meta)
	}
	if err != nil || meta.Version == "" {
		return fmt.Errorf("no version in %s/metadata.json: %v", dist, err)
	}
	v := meta.Version
	fmt.Printf("==> Checking the release files of %s %s in %s/\n", name, v, dist)

	manifestName := fmt.Sprintf("%s_%s_manifest.json", name, v)
	want := []string{manifestName}
	for _, p := range platforms {
		archive := fmt.Sprintf("%s_%s_%s.zip", name, v, p)
		want = append(want, archive)
		binary := fmt.Sprintf("%s_v%s", name, v)
		if strings.HasPrefix(p, "windows_") {
			binary += ".exe"
		}
		if err := holds(filepath.Join(dist, archive), binary); err != nil {
			return err
		}
	}

	manifest, err := os.ReadFile(manifestPath)
	if err != nil {
		return err
	}
	var m struct {
		Version  int
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		}
	}
	if err := json.Unmarshal(manifest, &m); err != nil || m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		return fmt.Errorf("%s is not a version 1 manifest naming protocol 6.0 (%v)", manifestPath, err)
	}

	sumsName := fmt.Sprintf("%s_%s_SHA256SUMS", name, v)
	sums, err := readSums(filepath.Join(dist, sumsName))
	if err != nil {
		return err
	}
	listed := make([]string, 0, len(sums))
	for f := range sums {
		listed = append(listed, f)
	}
	slices.Sort(listed)
	slices.Sort(want)
	if !slices.Equal(listed, want) {
		return fmt.Errorf("%s lists %v, want the archives and the manifest: %v", sumsName, listed, want)
	}
	for f, sum := range sums {
		content := manifest
		if f != manifestName {
			if content, err = os.ReadFile(filepath.Join(dist, f)); err != nil {
				return err
			}
		}
		if got := sha256.Sum256(content); hex.EncodeToString(got[:]) != sum {
			return fmt.Errorf("%s: the sum of %s is wrong", sumsName, f)
		}
	}
	fmt.Printf("    %d archives, each with its binary at the root; %s lists them and the manifest, every sum right\n", len(platforms), sumsName)
	return nil
}

// holds checks that the zip at path has binary at its root.
func holds(path, binary string) error {
	r, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer r.Close()
	var names []string
	for _, f := range r.File {
		if f.Name == binary {
			return nil
		}
		names = append(names, f.Name)
	}
	return fmt.Errorf("%s does not hold %s at its root; it holds %v", filepath.Base(path), binary, names)
}

// readSums reads a SHA256SUMS file: "<hex sum>  <file>" a line.
func readSums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, file, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 || file == "" {
			return nil, fmt.Errorf("%s: %q is not a line of sums", filepath.Base(path), sc.Text())
		}
		if _, dup := sums[file]; dup {
			return nil, fmt.Errorf("%s lists %s twice", filepath.Base(path), file)
		}
		sums[file] = sum
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, errors.New(filepath.Base(path) + " is empty")
	}
	return sums, nil
}
