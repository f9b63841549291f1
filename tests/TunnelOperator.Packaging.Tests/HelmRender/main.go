// helm-render renders a chart the way `helm template` does, for tests on machines without helm: Go's
// text/template with sprig's functions (less env and expandenv) and Helm's own (include, tpl, required,
// fail, toYaml, fromYaml, fromYamlArray, toJson, fromJson, fromJsonArray, lookup); .Values (values.yaml
// coalesced with -f files and --set/--set-string), .Chart, .Release, .Capabilities, .Files, .Template;
// `define`s of every template file; output sorted like Helm's install order with "# Source:" headers,
// NOTES.txt, partials and empty documents left out; CRDs from crds/ first with --include-crds.
// Not done: subcharts, hooks ordering, toToml, .helmignore, schema validation, --show-only.
//
//	helm-render [--name N] [--namespace NS] [-f values.yaml]... [--set a.b=c]... [--include-crds] CHART_DIR
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v2"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

// Metadata is Chart.yaml with the field names templates use (.Chart.AppVersion).
type Metadata struct {
	Name         string            `yaml:"name"`
	Home         string            `yaml:"home"`
	Sources      []string          `yaml:"sources"`
	Version      string            `yaml:"version"`
	Description  string            `yaml:"description"`
	Keywords     []string          `yaml:"keywords"`
	Icon         string            `yaml:"icon"`
	APIVersion   string            `yaml:"apiVersion"`
	Condition    string            `yaml:"condition"`
	Tags         string            `yaml:"tags"`
	AppVersion   string            `yaml:"appVersion"`
	Deprecated   bool              `yaml:"deprecated"`
	Annotations  map[string]string `yaml:"annotations"`
	KubeVersion  string            `yaml:"kubeVersion"`
	Type         string            `yaml:"type"`
	Maintainers  []interface{}     `yaml:"maintainers"`
	Dependencies []interface{}     `yaml:"dependencies"`
}

// Files are the chart's files outside templates/ (helm's chart.Files and engine.files).
type Files map[string][]byte

func (f Files) Get(name string) string      { return string(f[name]) }
func (f Files) GetBytes(name string) []byte { return f[name] }
func (f Files) Lines(name string) []string {
	if f[name] == nil {
		return []string{}
	}
	return strings.Split(string(f[name]), "\n")
}
func (f Files) Glob(pattern string) Files {
	out := Files{}
	for name, data := range f {
		if ok, _ := path.Match(pattern, name); ok {
			out[name] = data
		}
	}
	return out
}
func (f Files) AsConfig() string  { return f.as(func(b []byte) string { return string(b) }) }
func (f Files) AsSecrets() string { return f.as(base64.StdEncoding.EncodeToString) }
func (f Files) as(encode func([]byte) string) string {
	m := map[string]string{}
	for name, data := range f {
		m[path.Base(name)] = encode(data)
	}
	return toYAML(m)
}

// APIVersions answers .Capabilities.APIVersions.Has.
type APIVersions []string

func (a APIVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

// jsonValues turns YAML into what sigs.k8s.io/yaml gives Helm: JSON types, every number a float64.
func jsonValues(data []byte, out interface{}) error {
	var raw interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return err
	}
	j, err := json.Marshal(stringKeys(raw))
	if err != nil {
		return err
	}
	return json.Unmarshal(j, out)
}

func stringKeys(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, x := range t {
			m[fmt.Sprint(k)] = stringKeys(x)
		}
		return m
	case []interface{}:
		for i := range t {
			t[i] = stringKeys(t[i])
		}
	}
	return v
}

// toYAML is Helm's: JSON first, then YAML (sigs.k8s.io/yaml.Marshal), no trailing newline.
func toYAML(v interface{}) string {
	j, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var obj interface{}
	if err := yaml.Unmarshal(j, &obj); err != nil {
		return ""
	}
	data, err := yaml.Marshal(obj)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func helmFuncs() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = toYAML
	f["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := jsonValues([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromYamlArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := jsonValues([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["toJson"] = func(v interface{}) string { j, _ := json.Marshal(v); return string(j) }
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromJsonArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	f["fail"] = func(msg string) (string, error) { return "", errors.New(warnWrap(msg)) }
	f["required"] = func(warn string, v interface{}) (interface{}, error) {
		if s, ok := v.(string); v == nil || ok && s == "" {
			return v, errors.New(warnWrap(warn))
		}
		return v, nil
	}
	return f
}

// Helm marks messages of fail and required so cleanupExecError can cut them out of the template trace.
func warnWrap(s string) string { return "HELM_ERR_START" + s + "HELM_ERR_END" }

var warnRegex = regexp.MustCompile(`HELM_ERR_START((?s).*)HELM_ERR_END`)

func cleanupExecError(name string, err error) error {
	if _, ok := err.(template.ExecError); !ok {
		return err
	}
	tokens := strings.SplitN(err.Error(), ": ", 3)
	if len(tokens) != 3 {
		return fmt.Errorf("execution error in (%s): %s", name, err)
	}
	msg := tokens[2]
	if m := warnRegex.FindStringSubmatch(msg); m != nil {
		msg = m[1]
	}
	return fmt.Errorf("execution error at (%s): %s", tokens[1], msg)
}

// coalesce lays user values over the chart's defaults: maps merge, a null removes the default.
func coalesce(user, defaults map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range user {
		um, uok := v.(map[string]interface{})
		dm, dok := out[k].(map[string]interface{})
		switch {
		case v == nil:
			delete(out, k)
		case uok && dok:
			out[k] = coalesce(um, dm)
		default:
			out[k] = v
		}
	}
	return out
}

// setValue applies one --set/--set-string list (strvals): a.b=c,d[0]=e,f={x,y}, with \ escapes.
func setValue(arg string, values map[string]interface{}, asString bool) error {
	for _, pair := range splitUnescaped(arg, ',', true) {
		eq := strings.IndexRune(pair, '=')
		if eq < 0 {
			return fmt.Errorf("failed parsing --set data: key %q has no value", pair)
		}
		var value interface{}
		raw := pair[eq+1:]
		if !asString && strings.HasPrefix(raw, "{") && strings.HasSuffix(raw, "}") {
			items := []interface{}{}
			for _, item := range splitUnescaped(raw[1:len(raw)-1], ',', false) {
				items = append(items, typed(unescape(item), false))
			}
			value = items
		} else {
			value = typed(unescape(raw), asString)
		}
		keys := splitUnescaped(pair[:eq], '.', false)
		node := values
		for i, key := range keys {
			name, index := key, -1
			if open := strings.IndexRune(key, '['); open > 0 && strings.HasSuffix(key, "]") {
				name = key[:open]
				n, err := strconv.Atoi(key[open+1 : len(key)-1])
				if err != nil || n < 0 {
					return fmt.Errorf("failed parsing --set data: bad index in %q", key)
				}
				index = n
			}
			name = unescape(name)
			last := i == len(keys)-1
			if index >= 0 {
				items, _ := node[name].([]interface{})
				for len(items) <= index {
					items = append(items, nil)
				}
				node[name] = items
				if last {
					items[index] = value
					break
				}
				next, ok := items[index].(map[string]interface{})
				if !ok {
					next = map[string]interface{}{}
					items[index] = next
				}
				node = next
				continue
			}
			if last {
				node[name] = value
				break
			}
			next, ok := node[name].(map[string]interface{})
			if !ok {
				next = map[string]interface{}{}
				node[name] = next
			}
			node = next
		}
	}
	return nil
}

func splitUnescaped(s string, sep rune, braces bool) []string {
	var parts []string
	var cur strings.Builder
	depth, escaped := 0, false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune('\\')
			cur.WriteRune(r)
			escaped = false
			continue
		case r == '\\':
			escaped = true
			continue
		case braces && r == '{':
			depth++
		case braces && r == '}':
			depth--
		case r == sep && depth == 0:
			parts = append(parts, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	return append(parts, cur.String())
}

func unescape(s string) string {
	var b strings.Builder
	escaped := false
	for _, r := range s {
		if r == '\\' && !escaped {
			escaped = true
			continue
		}
		escaped = false
		b.WriteRune(r)
	}
	return b.String()
}

// typed is strvals.typedVal: true/false/null, integers without a leading zero as int64, else a string.
func typed(s string, asString bool) interface{} {
	switch {
	case asString:
		return s
	case strings.EqualFold(s, "true"):
		return true
	case strings.EqualFold(s, "false"):
		return false
	case strings.EqualFold(s, "null"):
		return nil
	case s == "0":
		return int64(0)
	}
	if s != "" && s[0] != '0' {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	}
	return s
}

// installOrder is releaseutil.InstallOrder: the order kinds are written in.
var installOrder = strings.Fields(`PriorityClass Namespace NetworkPolicy ResourceQuota LimitRange PodSecurityPolicy
	PodDisruptionBudget ServiceAccount Secret SecretList ConfigMap StorageClass PersistentVolume PersistentVolumeClaim
	CustomResourceDefinition ClusterRole ClusterRoleList ClusterRoleBinding ClusterRoleBindingList Role RoleList
	RoleBinding RoleBindingList Service DaemonSet Pod ReplicationController ReplicaSet Deployment HorizontalPodAutoscaler
	StatefulSet Job CronJob IngressClass Ingress APIService MutatingWebhookConfiguration ValidatingWebhookConfiguration`)

type manifest struct{ source, kind, content string }

var docSeparator = regexp.MustCompile("(?:^|\\s*\n)---\\s*")

func run() error {
	var valueFiles, sets, setStrings list
	name := flag.String("name", "release-name", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	includeCrds := flag.Bool("include-crds", false, "print the chart's CRDs first")
	kubeVersion := flag.String("kube-version", "v1.33.0", ".Capabilities.KubeVersion")
	flag.Var(&valueFiles, "f", "values file (repeatable)")
	flag.Var(&valueFiles, "values", "values file (repeatable)")
	flag.Var(&sets, "set", "a.b=c values (repeatable)")
	flag.Var(&setStrings, "set-string", "a.b=c string values (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		return errors.New("usage: helm-render [flags] CHART_DIR")
	}
	dir := flag.Arg(0)

	var meta Metadata
	chartYaml, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(chartYaml, &meta); err != nil {
		return fmt.Errorf("Chart.yaml: %v", err)
	}
	defaults := map[string]interface{}{}
	if data, err := os.ReadFile(filepath.Join(dir, "values.yaml")); err == nil {
		if err := jsonValues(data, &defaults); err != nil {
			return fmt.Errorf("values.yaml: %v", err)
		}
	}
	user := map[string]interface{}{}
	for _, file := range valueFiles {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		current := map[string]interface{}{}
		if err := jsonValues(data, &current); err != nil {
			return fmt.Errorf("failed to parse %s: %v", file, err)
		}
		user = coalesce(current, user)
	}
	for _, s := range sets {
		if err := setValue(s, user, false); err != nil {
			return err
		}
	}
	for _, s := range setStrings {
		if err := setValue(s, user, true); err != nil {
			return err
		}
	}

	files, templates := Files{}, map[string]string{}
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		switch {
		case err != nil:
			return err
		case strings.HasPrefix(rel, "templates/"):
			templates[meta.Name+"/"+rel] = string(data)
		case rel != "Chart.yaml" && rel != "values.yaml" && !strings.HasPrefix(rel, "charts/"):
			files[rel] = data
		}
		return nil
	})
	if err != nil {
		return err
	}

	t := template.New("gotpl").Option("missingkey=zero")
	funcs := helmFuncs()
	included := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if included[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		included[name]++
		defer func() { included[name]-- }()
		var b strings.Builder
		err := t.ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
	funcs["tpl"] = func(text string, vals map[string]interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		name := fmt.Sprint(vals["Template"].(map[string]interface{})["Name"])
		if _, err := clone.New(name).Parse(text); err != nil {
			return "", fmt.Errorf("cannot parse template %q: %v", text, err)
		}
		var b strings.Builder
		err = clone.ExecuteTemplate(&b, name, vals)
		return strings.ReplaceAll(b.String(), "<no value>", ""), err
	}
	t.Funcs(funcs)
	names := make([]string, 0, len(templates))
	for n := range templates {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := t.New(n).Parse(templates[n]); err != nil {
			return fmt.Errorf("parse error at (%s): %v", n, err)
		}
	}

	release := map[string]interface{}{"Name": *name, "Namespace": *namespace, "IsInstall": true, "IsUpgrade": false, "Revision": 1, "Service": "Helm"}
	major, minor := "1", "33"
	if parts := strings.Split(strings.TrimPrefix(*kubeVersion, "v"), "."); len(parts) >= 2 {
		major, minor = parts[0], parts[1]
	}
	capabilities := map[string]interface{}{
		"KubeVersion": map[string]interface{}{"Version": *kubeVersion, "GitVersion": *kubeVersion, "Major": major, "Minor": minor},
		"APIVersions": APIVersions{"v1", "apps/v1", "rbac.authorization.k8s.io/v1", "coordination.k8s.io/v1", "apiextensions.k8s.io/v1", "events.k8s.io/v1"},
		"HelmVersion": map[string]interface{}{"Version": "v3.18.0"},
	}
	var manifests []manifest
	for _, n := range names {
		base := path.Base(n)
		if strings.HasPrefix(base, "_") {
			continue
		}
		vals := map[string]interface{}{
			"Values": coalesce(user, defaults), "Chart": &meta, "Release": release, "Capabilities": capabilities,
			"Files": files, "Subcharts": map[string]interface{}{},
			"Template": map[string]interface{}{"Name": n, "BasePath": meta.Name + "/templates"},
		}
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, n, vals); err != nil {
			return cleanupExecError(n, err)
		}
		out := strings.ReplaceAll(b.String(), "<no value>", "")
		if base == "NOTES.txt" || strings.TrimSpace(out) == "" {
			continue
		}
		for _, doc := range docSeparator.Split(strings.TrimSpace(out), -1) {
			if doc == "" {
				continue
			}
			var head struct{ Kind string }
			if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
				return fmt.Errorf("YAML parse error on %s: %v", n, err)
			}
			manifests = append(manifests, manifest{n, head.Kind, strings.TrimSpace(doc)})
		}
	}
	rank := func(kind string) int {
		for i, k := range installOrder {
			if k == kind {
				return i
			}
		}
		return len(installOrder)
	}
	sort.SliceStable(manifests, func(i, j int) bool {
		a, b := rank(manifests[i].kind), rank(manifests[j].kind)
		if a == len(installOrder) && b == len(installOrder) {
			return manifests[i].kind < manifests[j].kind
		}
		return a < b
	})

	var b strings.Builder
	if *includeCrds {
		var crds []string
		for n := range files {
			if ext := path.Ext(n); strings.HasPrefix(n, "crds/") && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
				crds = append(crds, n)
			}
		}
		sort.Strings(crds)
		for _, n := range crds {
			fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", meta.Name+"/"+n, files[n])
		}
	}
	for _, m := range manifests {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", m.source, m.content)
	}
	_, err = os.Stdout.WriteString(b.String())
	return err
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
		os.Exit(1)
	}
}
