// Command k8s-yaml-oracle reads manifest files the way kubectl does and prints the JSON objects Kubernetes would get.
//
// It is the reference the scanner's loader is held to (see __tests__/kubernetes-oracle.test.ts). Input on stdin: a
// JSON array of files, each the base64 of its bytes. Output on stdout: a JSON array with, for each file, the list of
// its documents: {"json": <object>} for each document kubectl would send, in order, and a last {"error": "..."} when
// kubectl would stop at a document it cannot read. The reading is kubectl's own (cli-runtime's FileVisitor and
// StreamVisitor): a byte order mark picks UTF-8 or UTF-16, apimachinery's YAML-or-JSON decoder splits the stream at
// `---` lines and turns each document into JSON with sigs.k8s.io/yaml, and empty or null documents are skipped.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

type document struct {
	JSON  json.RawMessage `json:"json,omitempty"`
	Error string          `json:"error,omitempty"`
	// For a document kubectl reads as a list (any document with an `items` field): the objects it applies instead of
	// the document, as apimachinery's unstructured decoding and the builder's flattening make them, or why it applies
	// none of them.
	Items     []json.RawMessage `json:"items,omitempty"`
	ListError string            `json:"listError,omitempty"`
}

func main() {
	var files [][]byte
	if err := json.NewDecoder(os.Stdin).Decode(&files); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-yaml-oracle: input must be a JSON array of base64 strings:", err)
		os.Exit(2)
	}
	results := make([][]document, len(files))
	for i, file := range files {
		results[i] = read(file)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "k8s-yaml-oracle:", err)
		os.Exit(1)
	}
}

// read returns the documents kubectl would send for one file's bytes.
func read(file []byte) (docs []document) {
	defer func() {
		// A reader that panics is a document Kubernetes cannot read: record it rather than lose the batch.
		if recovered := recover(); recovered != nil {
			docs = append(docs, document{Error: fmt.Sprint("panic: ", recovered)})
		}
	}()
	docs = []document{}
	reader := transform.NewReader(bytes.NewReader(file), unicode.BOMOverride(unicode.UTF8.NewDecoder()))
	decoder := utilyaml.NewYAMLOrJSONDecoder(reader, 4096)
	for {
		var raw json.RawMessage
		if err := decoder.Decode(&raw); err != nil {
			if err != io.EOF {
				docs = append(docs, document{Error: err.Error()})
			}
			return docs
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			continue
		}
		docs = append(docs, flatten(document{JSON: raw}))
	}
}

// flatten adds to a document what kubectl applies from it when it reads it as a list: apimachinery's unstructured
// decoding takes any document with an `items` field for one (an item with neither apiVersion nor kind takes the
// list's apiVersion and its kind without "List"), and the builder's flattening applies the items, refusing an item
// that is itself a list.
func flatten(doc document) document {
	object, _, err := unstructured.UnstructuredJSONScheme.Decode(doc.JSON, nil, nil)
	list, isList := object.(*unstructured.UnstructuredList)
	if !isList {
		var probe struct {
			Items json.RawMessage `json:"items"`
		}
		if json.Unmarshal(doc.JSON, &probe) == nil && probe.Items != nil && err != nil {
			doc.ListError = err.Error()
		}
		return doc
	}
	if err != nil {
		doc.ListError = err.Error()
		return doc
	}
	doc.Items = []json.RawMessage{}
	for _, item := range list.Items {
		if item.IsList() {
			doc.ListError = "an item is itself a list"
			doc.Items = nil
			return doc
		}
		encoded, err := json.Marshal(item.Object)
		if err != nil {
			doc.ListError = err.Error()
			doc.Items = nil
			return doc
		}
		doc.Items = append(doc.Items, encoded)
	}
	return doc
}
