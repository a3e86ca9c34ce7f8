// Command refplugin is a CNI plugin on the reference library's skel, the Go twin of
// tests/cniskel/plugins/twin.py: the differential tests run both on the same environment and
// stdin and compare stdout, stderr and exit status byte for byte.
//
// ADD prints prevResult in the config's version or, without one, a result built from the
// interface and the IP of CNI_ARGS; CHECK parses prevResult; DEL only decodes. Failures use
// typed codes the way cniskel reports them: 6 for prevResult, 4 for CNI_ARGS.
// (skel.PluginMainFuncs only exists from libcni 1.2; Debian's 1.1.2 has PluginMain.)
package main

import (
	"encoding/json"
	"fmt"
	"net"

	"github.com/containernetworking/cni/pkg/skel"
	"github.com/containernetworking/cni/pkg/types"
	types100 "github.com/containernetworking/cni/pkg/types/100"
	"github.com/containernetworking/cni/pkg/version"
)

// NetConf is named like the library's type so that Go's error context reads
// "Go struct field NetConf.prevResult", as cniskel reports it.
type NetConf struct {
	types.NetConf
	Bridge string `json:"bridge"`
	MTU    int    `json:"mtu"`
}

type pluginArgs struct {
	types.CommonArgs
	IP                net.IP
	K8S_POD_NAME      types.UnmarshallableString
	K8S_POD_NAMESPACE types.UnmarshallableString
}

func load(args *skel.CmdArgs) (*NetConf, *pluginArgs, error) {
	// The order is cniskel's: CNI_ARGS (parsed before the verb runs), the config, then
	// prevResult (parsed when the verb asks for it).
	parsed := &pluginArgs{}
	if err := types.LoadArgs(args.Args, parsed); err != nil {
		return nil, nil, types.NewError(types.ErrInvalidEnvironmentVariables, err.Error(), "")
	}
	conf := &NetConf{}
	if err := json.Unmarshal(args.StdinData, conf); err != nil {
		// The differential tests keep every other declared key well-typed, so only
		// prevResult can fail to decode here.
		return nil, nil, types.NewError(types.ErrDecodingFailure, fmt.Sprintf("could not parse prevResult: %v", err), "")
	}
	if err := version.ParsePrevResult(&conf.NetConf); err != nil {
		return nil, nil, types.NewError(types.ErrDecodingFailure, err.Error(), "")
	}
	return conf, parsed, nil
}

func cmdAdd(args *skel.CmdArgs) error {
	conf, parsed, err := load(args)
	if err != nil {
		return err
	}
	if conf.PrevResult != nil {
		return types.PrintResult(conf.PrevResult, conf.CNIVersion)
	}
	result := &types100.Result{
		CNIVersion: types100.ImplementedSpecVersion,
		Interfaces: []*types100.Interface{{Name: args.IfName, Sandbox: args.Netns}},
	}
	if parsed.IP != nil {
		bits := 128
		if parsed.IP.To4() != nil {
			bits = 32
		}
		result.IPs = []*types100.IPConfig{{
			Interface: types100.Int(0),
			Address:   net.IPNet{IP: parsed.IP, Mask: net.CIDRMask(bits, bits)},
		}}
	}
	return types.PrintResult(result, conf.CNIVersion)
}

func cmdCheck(args *skel.CmdArgs) error {
	_, _, err := load(args)
	return err
}

func cmdDel(args *skel.CmdArgs) error {
	_, _, err := load(args)
	return err
}

func main() {
	skel.PluginMain(cmdAdd, cmdCheck, cmdDel, version.All, "reference twin plugin")
}
