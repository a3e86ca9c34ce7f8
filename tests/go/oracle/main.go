// Command oracle answers JSON-line requests with the containernetworking/cni library's own
// functions, so the Python tests can compare cniskel with the reference on the same input.
//
// Every request is one JSON object on one line: {"op": NAME, ...}. Byte strings travel as
// base64 ("data", "text", "args") so that invalid UTF-8 and control characters survive.
// Every answer is one JSON object on one line; library errors are {"error": TEXT}.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"os"

	"github.com/containernetworking/cni/pkg/types"
	"github.com/containernetworking/cni/pkg/types/create"
	"github.com/containernetworking/cni/pkg/version"
)

// Every result version the library knows, plus the empty string (which it treats as 0.1.0)
// and one it does not know.
var targets = []string{"", "0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"}

type request struct {
	Op      string `json:"op"`
	Data    string `json:"data"`
	Version string `json:"version"`
	Other   string `json:"other"`
	Spec    string `json:"spec"`
}

type answer map[string]interface{}

func decode(text string) []byte {
	data, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		panic(err)
	}
	return data
}

func encode(data []byte) string { return base64.StdEncoding.EncodeToString(data) }

func printed(result types.Result) answer {
	var buf bytes.Buffer
	if err := result.PrintTo(&buf); err != nil {
		return answer{"error": err.Error()}
	}
	return answer{"out": encode(buf.Bytes())}
}

// resultOp: create.Create(version, data), its own print, and GetAsVersion for every target.
func resultOp(req request) answer {
	data := decode(req.Data)
	result, err := create.Create(req.Version, data)
	if err != nil {
		return answer{"error": err.Error()}
	}
	out := answer{"version": result.Version(), "print": printed(result)}
	as := answer{}
	for _, target := range targets {
		fresh, _ := create.Create(req.Version, data)
		converted, err := fresh.GetAsVersion(target)
		if err != nil {
			as[target] = answer{"error": err.Error()}
			continue
		}
		as[target] = printed(converted)
	}
	out["as"] = as
	return out
}

type k8sArgs struct {
	types.CommonArgs
	K8S_POD_NAMESPACE          types.UnmarshallableString
	K8S_POD_NAME               types.UnmarshallableString
	K8S_POD_INFRA_CONTAINER_ID types.UnmarshallableString
	K8S_POD_UID                types.UnmarshallableString
}

type customArgs struct {
	types.CommonArgs
	IP    net.IP
	Flag  types.UnmarshallableBool
	Label types.UnmarshallableString
}

func ipText(ip net.IP) interface{} {
	if ip == nil {
		return nil
	}
	return ip.String()
}

// argsOp: types.LoadArgs into one of three argument structs; the fields as JSON values.
func argsOp(req request) answer {
	raw := string(decode(req.Data))
	switch req.Spec {
	case "common":
		var a types.CommonArgs
		if err := types.LoadArgs(raw, &a); err != nil {
			return answer{"error": err.Error()}
		}
		return answer{"value": answer{"IgnoreUnknown": bool(a.IgnoreUnknown)}}
	case "k8s":
		var a k8sArgs
		if err := types.LoadArgs(raw, &a); err != nil {
			return answer{"error": err.Error()}
		}
		return answer{"value": answer{
			"IgnoreUnknown":              bool(a.IgnoreUnknown),
			"K8S_POD_NAMESPACE":          encode([]byte(a.K8S_POD_NAMESPACE)),
			"K8S_POD_NAME":               encode([]byte(a.K8S_POD_NAME)),
			"K8S_POD_INFRA_CONTAINER_ID": encode([]byte(a.K8S_POD_INFRA_CONTAINER_ID)),
			"K8S_POD_UID":                encode([]byte(a.K8S_POD_UID)),
		}}
	case "custom":
		var a customArgs
		if err := types.LoadArgs(raw, &a); err != nil {
			return answer{"error": err.Error()}
		}
		return answer{"value": answer{
			"IgnoreUnknown": bool(a.IgnoreUnknown),
			"IP":            ipText(a.IP),
			"Flag":          bool(a.Flag),
			"Label":         encode([]byte(a.Label)),
		}}
	}
	return answer{"fatal": "unknown spec " + req.Spec}
}

// versionOp: version.ParseVersion and GreaterThanOrEqualTo.
func versionOp(req request) answer {
	out := answer{}
	major, minor, micro, err := version.ParseVersion(req.Version)
	if err != nil {
		out["parse"] = answer{"error": err.Error()}
	} else {
		out["parse"] = answer{"value": []int{major, minor, micro}}
	}
	gte, err := version.GreaterThanOrEqualTo(req.Version, req.Other)
	if err != nil {
		out["gte"] = answer{"error": err.Error()}
	} else {
		out["gte"] = answer{"value": gte}
	}
	return out
}

// pluginInfoOp: version.PluginDecoder.Decode, answered with the decoded info re-encoded.
func pluginInfoOp(req request) answer {
	info, err := (&version.PluginDecoder{}).Decode(decode(req.Data))
	if err != nil {
		return answer{"error": err.Error()}
	}
	var buf bytes.Buffer
	if err := info.Encode(&buf); err != nil {
		return answer{"error": err.Error()}
	}
	return answer{"out": encode(buf.Bytes())}
}

// confVersionOp: version.ConfigDecoder.Decode (what skel uses).
func confVersionOp(req request) answer {
	v, err := (&version.ConfigDecoder{}).Decode(decode(req.Data))
	if err != nil {
		return answer{"error": err.Error()}
	}
	return answer{"value": v}
}

// prevResultOp: decode a types.NetConf, version.ParsePrevResult, print in the config's version.
func prevResultOp(req request) answer {
	var conf types.NetConf
	if err := json.Unmarshal(decode(req.Data), &conf); err != nil {
		return answer{"decode_error": err.Error()}
	}
	if err := version.ParsePrevResult(&conf); err != nil {
		return answer{"error": err.Error()}
	}
	if conf.PrevResult == nil {
		return answer{"absent": true}
	}
	out := answer{"version": conf.PrevResult.Version()}
	converted, err := conf.PrevResult.GetAsVersion(conf.CNIVersion)
	if err != nil {
		out["print"] = answer{"error": err.Error()}
	} else {
		out["print"] = printed(converted)
	}
	return out
}

func handle(req request) (out answer) {
	defer func() {
		if r := recover(); r != nil {
			out = answer{"panic": fmt.Sprint(r)}
		}
	}()
	switch req.Op {
	case "result":
		return resultOp(req)
	case "args":
		return argsOp(req)
	case "version":
		return versionOp(req)
	case "plugininfo":
		return pluginInfoOp(req)
	case "confversion":
		return confVersionOp(req)
	case "prevresult":
		return prevResultOp(req)
	case "ping":
		return answer{"pong": true}
	}
	return answer{"fatal": "unknown op " + req.Op}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintf(os.Stderr, "oracle: bad request: %v\n", err)
			os.Exit(2)
		}
		line, _ := json.Marshal(handle(req))
		out.Write(line)
		out.WriteByte('\n')
		out.Flush()
	}
}
