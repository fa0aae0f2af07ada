package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// The manifests of deploy/kubernetes cannot be applied here (no cluster,
// no docker engine): these tests parse them and check what makes them
// work with this binary. `docker build -f deploy/Dockerfile .` is not run.

const deployDir = "../../deploy"

// manifest is one YAML document, navigated by path.
type manifest map[string]any

func (m manifest) at(path ...string) any {
	var cur any = map[string]any(m)
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

func (m manifest) str(path ...string) string { s, _ := m.at(path...).(string); return s }

// loadManifests reads every document of a file.
func loadManifests(t *testing.T, name string) []manifest {
	t.Helper()
	f, err := os.Open(filepath.Join(deployDir, "kubernetes", name))
	require.NoError(t, err)
	defer f.Close()
	var out []manifest
	dec := yaml.NewDecoder(f)
	for {
		var m map[string]any // not manifest: yaml.v3 would decode nested maps as manifest too
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err, name)
		out = append(out, manifest(m))
	}
}

// checkPod checks the pod template of a Job: the binary's flags, the
// shards matching the Job, the scan id from the Job's name, credentials
// from the Secret, a non-root read-only container and retries that
// resume. It returns the container args.
func checkPod(t *testing.T, job manifest, secretKeys map[string]bool) []string {
	t.Helper()
	assert.Equal(t, "Indexed", job.str("completionMode"))
	completions, _ := job.at("completions").(int)
	assert.Positive(t, completions)
	assert.Equal(t, completions, job.at("parallelism"))
	assert.Equal(t, "Never", job.str("template", "spec", "restartPolicy"))
	assert.NotNil(t, job.at("podFailurePolicy", "rules"))
	assert.Equal(t, true, job.at("template", "spec", "securityContext", "runAsNonRoot"))
	c := manifest(job.at("template", "spec", "containers", "0").(map[string]any))
	assert.Equal(t, true, c.at("securityContext", "readOnlyRootFilesystem"))
	assert.Equal(t, "/tmp", c.str("volumeMounts", "0", "mountPath"), "a writable /tmp for spill files and uploads")

	var args []string
	for _, a := range c.at("args").([]any) {
		args = append(args, a.(string))
	}
	require.Equal(t, "scan", args[0])
	flags := newScanCmd().Flags()
	set := map[string]string{}
	for _, a := range args[1:] {
		if !strings.HasPrefix(a, "--") {
			assert.True(t, strings.HasPrefix(a, "oss://"), "target %s", a)
			continue
		}
		name, value, ok := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		fl := flags.Lookup(name)
		require.NotNil(t, fl, "--%s is not a flag of piiscan scan", name)
		if !ok {
			require.Equal(t, "bool", fl.Value.Type(), "write flags with values as --name=value: %s", a)
			value = "true"
		}
		require.NoError(t, flags.Set(name, strings.ReplaceAll(value, "$(PIISCAN_SCAN_ID)", "job-1")), a)
		set[name] = value
	}
	assert.Equal(t, strconv.Itoa(completions), set["shards"], "--shards equals completions")
	assert.Equal(t, "$(PIISCAN_SCAN_ID)", set["scan-id"], "every shard has the same scan id")
	assert.Regexp(t, `^oss://[a-z0-9-]+/`, set["out"])
	assert.Regexp(t, `^oss://[a-z0-9-]+/.+\.jsonl(\.gz)?$`, set["incremental"])

	env := map[string]manifest{}
	for _, e := range c.at("env").([]any) {
		m := manifest(e.(map[string]any))
		env[m.str("name")] = m
	}
	assert.Equal(t, "metadata.labels['batch.kubernetes.io/job-name']", env["PIISCAN_SCAN_ID"].str("valueFrom", "fieldRef", "fieldPath"))
	for _, k := range []string{envOSSKeyID, envOSSSecret, "PIISCAN_HMAC_KEY"} {
		require.Contains(t, env, k)
		assert.Equal(t, "piiscan-credentials", env[k].str("valueFrom", "secretKeyRef", "name"), k)
		key := env[k].str("valueFrom", "secretKeyRef", "key")
		assert.True(t, secretKeys[key], "secret key %s of %s is in secret.example.yaml", key, k)
	}
	return args
}

func secretKeys(t *testing.T) map[string]bool {
	t.Helper()
	docs := loadManifests(t, "secret.example.yaml")
	require.Len(t, docs, 1)
	s := docs[0]
	assert.Equal(t, "Secret", s.str("kind"))
	assert.Equal(t, "piiscan-credentials", s.str("metadata", "name"))
	keys := map[string]bool{}
	for k, v := range s.at("stringData").(map[string]any) {
		keys[k] = true
		assert.Regexp(t, `^<.+>$`, v, "%s is a placeholder, not a secret", k)
	}
	return keys
}

func TestDeployIndexedJob(t *testing.T) {
	docs := loadManifests(t, "indexed-job.yaml")
	require.Len(t, docs, 1)
	job := docs[0]
	assert.Equal(t, "batch/v1", job.str("apiVersion"))
	assert.Equal(t, "Job", job.str("kind"))
	spec := manifest(job.at("spec").(map[string]any))
	checkPod(t, spec, secretKeys(t))
}

func TestDeployCronJob(t *testing.T) {
	docs := loadManifests(t, "cronjob.yaml")
	require.Len(t, docs, 1)
	cj := docs[0]
	assert.Equal(t, "CronJob", cj.str("kind"))
	assert.Regexp(t, `^\d+ \d+ \* \* \*$`, cj.str("spec", "schedule"), "daily")
	assert.Equal(t, "Forbid", cj.str("spec", "concurrencyPolicy"), "one writer per state")
	spec := manifest(cj.at("spec", "jobTemplate", "spec").(map[string]any))
	args := checkPod(t, spec, secretKeys(t))
	assert.NotContains(t, strings.Join(args, " "), "$(PIISCAN_SCAN_ID)/", "the daily state is shared by the days")
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir, "Dockerfile"))
	require.NoError(t, err)
	df := string(b)
	from := regexp.MustCompile(`(?m)^FROM `).FindAllStringIndex(df, -1)
	assert.GreaterOrEqual(t, len(from), 2, "multi-stage")
	assert.Contains(t, df, "CGO_ENABLED=0", "a static binary")
	assert.Contains(t, df, "./cmd/piiscan")
	user := regexp.MustCompile(`(?m)^USER (\S+)`).FindAllStringSubmatch(df, -1)
	require.NotEmpty(t, user)
	last := user[len(user)-1][1]
	assert.NotContains(t, []string{"root", "0", "0:0"}, last, "runs as a non-root user")
	assert.Contains(t, df, `ENTRYPOINT ["/usr/local/bin/piiscan"]`)
	mod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	goLine := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(string(mod))
	require.NotNil(t, goLine)
	assert.Contains(t, df, "ARG GO_VERSION="+goLine[1], "the builder matches go.mod")
}
