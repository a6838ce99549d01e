// Parses a Prometheus scrape with the parser Prometheus's scraper uses (model/textparse), at the
// version the Google Cloud Ops Agent 2.70.0 builds its Prometheus receiver with: the judge of
// whether the Ops Agent can read what a server exports. The response's Content-Type is the first
// argument (the scraper picks its parser by it), the body comes on stdin; one JSON object goes to
// stdout: {"samples":[{"name","labels","value"}],"types":{name:type}} or {"error":"..."}.
package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/textparse"
)

type sample struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels"`
	Value  string            `json:"value"`
}

type result struct {
	Samples []sample          `json:"samples,omitempty"`
	Types   map[string]string `json:"types,omitempty"`
	Error   string            `json:"error,omitempty"`
}

func parse(body []byte, contentType string) (result, error) {
	parser, err := textparse.New(body, contentType, labels.NewSymbolTable(), textparse.ParserOptions{})
	if parser == nil {
		return result{}, errors.Join(errors.New("no parser for content type "+strconv.Quote(contentType)), err)
	}
	out := result{Samples: []sample{}, Types: map[string]string{}}
	for {
		entry, err := parser.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return result{}, err
		}
		switch entry {
		case textparse.EntryType:
			name, kind := parser.Type()
			out.Types[string(name)] = string(kind)
		case textparse.EntrySeries:
			_, _, value := parser.Series()
			var lset labels.Labels
			parser.Labels(&lset)
			s := sample{Name: lset.Get(labels.MetricName), Labels: map[string]string{}, Value: strconv.FormatFloat(value, 'g', -1, 64)}
			lset.Range(func(l labels.Label) {
				if l.Name != labels.MetricName {
					s.Labels[l.Name] = l.Value
				}
			})
			out.Samples = append(out.Samples, s)
		}
	}
}

func main() {
	if len(os.Args) != 2 {
		os.Stderr.WriteString("usage: prometheus-text-parser <content type> < body\n")
		os.Exit(2)
	}
	body, err := io.ReadAll(os.Stdin)
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	out, err := parse(body, os.Args[1])
	if err != nil {
		out = result{Error: err.Error()}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
