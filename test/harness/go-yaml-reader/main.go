// go-yaml-reader decodes YAML exactly as livekit-server and livekit-sip do (gopkg.in/yaml.v3, the
// version both pin), so tests can ask Go itself what a rendered file says. Each stdin line is a
// JSON string holding one YAML document; each stdout line is a JSON object: {"value": ...} with
// the decoded document, or {"error": "..."} when yaml.v3 refuses it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

type reply struct {
	Value any    `json:"value,omitempty"`
	Error string `json:"error,omitempty"`
}

func decode(text string) reply {
	var value any
	if err := yaml.Unmarshal([]byte(text), &value); err != nil {
		return reply{Error: err.Error()}
	}
	if value == nil {
		return reply{Error: "empty document"}
	}
	return reply{Value: value}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	encoder := json.NewEncoder(out)
	encoder.SetEscapeHTML(false)
	for in.Scan() {
		var text string
		r := reply{}
		if err := json.Unmarshal(in.Bytes(), &text); err != nil {
			r.Error = "input line is not a JSON string: " + err.Error()
		} else {
			r = decode(text)
		}
		if err := encoder.Encode(r); err != nil {
			r = reply{Error: "decoded value has no JSON form: " + err.Error()}
			if err := encoder.Encode(r); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		out.Flush()
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
