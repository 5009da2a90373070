package harness

import (
	"github.com/phpsock/phpsock/conformance"
)

// byRefArgs lists, per function, the positions of case arguments that PHP
// takes by reference. The connect functions' errno and errstr are not case
// arguments and are not listed.
var byRefArgs = map[string][]int{
	"stream_select":          {0, 1, 2},
	"stream_socket_recvfrom": {3},
	"stream_socket_accept":   {2},
	"flock":                  {2},
}

// ByRef reports whether the case argument at position i of call is taken by
// reference, so that a {"var"} there is written by the call.
func ByRef(call string, i int) bool {
	for _, p := range byRefArgs[call] {
		if p == i {
			return true
		}
	}
	return false
}

// addressArgs are the by-reference arguments that receive a peer address:
// stream_socket_recvfrom's address and, as an extension of this project,
// stream_socket_accept's peer_name (whose port is as ephemeral).
var addressArgs = map[string]int{"stream_socket_recvfrom": 3, "stream_socket_accept": 2}

// Finish turns a runner's raw observations of c, run in env, into what a
// recording holds. For each step, in this order: drop, then pick (both on
// ret only), then ignore, then normalisation (CONFORMANCE.md
// "Normalisation") of every string. Results of stream_socket_get_name, and
// shows of a variable last written as stream_socket_recvfrom's address,
// also get a port that is no fixture's rewritten to {ephemeral}; so do, as
// an extension of this project, shows of a variable last written as
// stream_socket_accept's peer_name. raw may be
// shorter than c.Steps (a run that failed); Steps then keeps nil at the
// steps not observed. raw is not modified.
func Finish(c *conformance.Case, env *conformance.Env, raw []*conformance.Obs) *conformance.CaseResult {
	n := conformance.NewNormalizer(env, c)
	eph := ephemeralSteps(c, raw)
	res := &conformance.CaseResult{Steps: make([]*conformance.Obs, len(c.Steps))}
	for i, st := range c.Steps {
		if i >= len(raw) || raw[i] == nil {
			continue
		}
		o := finishObs(st, raw[i], n, eph[i])
		res.Steps[i] = o
	}
	return res
}

func finishObs(st *conformance.Step, raw *conformance.Obs, n *conformance.Normalizer, ephemeral bool) *conformance.Obs {
	o := *raw
	o.Warnings = append([]conformance.Warning(nil), raw.Warnings...)
	if raw.Throws != nil {
		t := *raw.Throws
		o.Throws = &t
	}
	if raw.Errstr != nil {
		e := *raw.Errstr
		o.Errstr = &e
	}
	if raw.Ret != nil {
		r := *raw.Ret
		if len(st.Drop) > 0 {
			r = conformance.Drop(r, st.Drop)
		}
		if len(st.Pick) > 0 {
			r = conformance.Pick(r, st.Pick)
		}
		o.Ret = &r
	}
	for _, f := range st.Ignore {
		switch f {
		case "ret":
			o.Ret = nil
		case "errno":
			o.Errno = nil
		case "errstr":
			o.Errstr = nil
		case "warnings":
			o.Warnings = nil
		}
	}
	ret := o.Ret
	o.Ret = nil
	conformance.NormalizeObs(&o, func(s string) string { return n.String(s, false) })
	if ret != nil {
		f := func(s string) string { return n.String(s, false) }
		if ephemeral {
			f = n.NameResult
		}
		r := conformance.NormalizeRet(*ret, f)
		o.Ret = &r
	}
	if len(o.Warnings) == 0 {
		o.Warnings = nil
	}
	return &o
}

// ephemeralSteps says which steps' results get {ephemeral}: every
// stream_socket_get_name call, and every show of a variable whose last write
// was as a peer address (addressArgs; a whole variable, or an element of
// it). Writes are: a call's "as" (unless the call threw), a "let"
// (unless it threw), and a {"var"} passed by reference (unless the call
// threw before running).
func ephemeralSteps(c *conformance.Case, raw []*conformance.Obs) []bool {
	eph := make([]bool, len(c.Steps))
	recv := map[string]bool{} // variable → last written as recvfrom's address
	for i, st := range c.Steps {
		threw := i < len(raw) && raw[i] != nil && raw[i].Throws != nil
		switch st.Kind {
		case conformance.StepShow:
			eph[i] = recv[st.Var]
		case conformance.StepLet:
			if !threw {
				recv[st.Var] = false
			}
		case conformance.StepCall:
			if st.Call == "stream_socket_get_name" {
				eph[i] = true
			}
			if threw {
				continue
			}
			for j, a := range st.Args {
				if v, ok := a.(conformance.Var); ok && ByRef(st.Call, j) {
					pos, ok := addressArgs[st.Call]
					recv[v.Name] = ok && j == pos
				}
			}
			if st.As != "" {
				recv[st.As] = false
			}
		}
	}
	return eph
}
