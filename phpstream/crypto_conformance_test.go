//go:build linux

package phpstream

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phpsock/phpsock/conformance"
	"github.com/phpsock/phpsock/conformance/fixture"
	"github.com/phpsock/phpsock/internal/openssl"
)

// TestTLSCalibration replays the recorded TLS cases (conformance/cases/
// tls.json, recorded from PHP 8.2.36 with OpenSSL 3.0.22 into
// ../conformance/recorded/php-8.2-linux.json, the tls group) against clientHandshake directly: the
// warnings of the connect step (up to "Failed to enable crypto"), the
// line read after it, and the crypto metadata must equal PHP's. The
// stream layer (fread, feof, the "Unable to connect" warning) is not part
// of this calibration.
func TestTLSCalibration(t *testing.T) {
	cases, err := conformance.Load("../conformance/cases/tls.json")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := conformance.ReadRecording("../conformance/recorded/php-8.2-linux.json")
	if err != nil {
		t.Fatal(err)
	}
	certs, err := filepath.Abs("../conformance/testdata/certs")
	if err != nil {
		t.Fatal(err)
	}
	pass, div, prepared := 0, 0, 0
	for _, c := range cases {
		r := rec.Cases[c.Name]
		if r == nil {
			t.Errorf("%s: not recorded", c.Name)
			continue
		}
		if c.Divergence != "" {
			div++
			continue
		}
		if first := c.Steps[0].Call; first != "stream_socket_client" && first != "fsockopen" {
			// Files to prepare first (tls/cafile-relative-to-cwd): the
			// conformance package's runner replays those.
			prepared++
			continue
		}
		c := c
		ok := t.Run(strings.TrimPrefix(c.Name, "tls/"), func(t *testing.T) {
			t.Parallel()
			calibrateCase(t, c, r, certs)
		})
		if ok {
			pass++
		}
	}
	t.Logf("%d cases, %d divergences, %d left to the conformance runner", len(cases), div, prepared)
}

// testArray is an OptionArray for the tests.
type testArray []conformance.MapEntry

func (a testArray) Len() int { return len(a) }
func (a testArray) At(i int) (any, any) {
	return optionValue(a[i].Key), optionValue(a[i].Value)
}

var testConstants = map[string]int64{
	"STREAM_CRYPTO_METHOD_SSLv2_CLIENT": 3, "STREAM_CRYPTO_METHOD_SSLv3_CLIENT": 5,
	"STREAM_CRYPTO_METHOD_SSLv23_CLIENT": 57, "STREAM_CRYPTO_METHOD_ANY_CLIENT": 127,
	"STREAM_CRYPTO_METHOD_TLS_CLIENT": 121, "STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT": 9,
	"STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT": 17, "STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT": 33,
	"STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT": 65, "STREAM_CRYPTO_METHOD_TLSv1_2_SERVER": 32,
	"STREAM_CRYPTO_PROTO_SSLv3": 4, "STREAM_CRYPTO_PROTO_TLSv1_0": 8, "STREAM_CRYPTO_PROTO_TLSv1_1": 16,
	"STREAM_CRYPTO_PROTO_TLSv1_2": 32, "STREAM_CRYPTO_PROTO_TLSv1_3": 64,
}

func optionValue(v conformance.Value) any {
	switch t := v.(type) {
	case conformance.Null:
		return nil
	case conformance.Bool:
		return bool(t)
	case conformance.Int:
		return int64(t)
	case conformance.Float:
		return float64(t)
	case conformance.Str:
		return string(t)
	case conformance.List:
		a := make(testArray, len(t))
		for i, e := range t {
			a[i] = conformance.MapEntry{Key: conformance.Int(i), Value: e}
		}
		return a
	case conformance.Map:
		return testArray(t)
	case conformance.Const:
		var n int64
		for _, name := range t {
			n |= testConstants[name]
		}
		return n
	}
	panic(fmt.Sprintf("unsupported value %T", v))
}

func calibrateCase(t *testing.T, c *conformance.Case, r *conformance.CaseResult, certs string) {
	set, err := fixture.Start(c, certs)
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	env := set.Env()
	st, err := env.SubstituteStep(c.Steps[0])
	if err != nil {
		t.Fatal(err)
	}
	var address string
	var timeout float64
	fn := st.Call
	switch fn {
	case "stream_socket_client":
		address = string(st.Args[0].(conformance.Str))
		timeout = float64(st.Args[1].(conformance.Int))
	case "fsockopen":
		port := 0
		switch p := st.Args[1].(type) {
		case conformance.Port:
			port = env.Endpoints[string(p)].Port
		case conformance.Int:
			port = int(p)
		}
		address = string(st.Args[0].(conformance.Str)) + ":" + strconv.Itoa(port)
		timeout = float64(st.Args[2].(conformance.Int))
	}
	ctx := NewContext()
	if m, ok := st.Context.(conformance.Map); ok {
		for _, w := range m {
			for _, o := range w.Value.(conformance.Map) {
				ctx.SetOption(string(w.Key.(conformance.Str)), string(o.Key.(conformance.Str)), optionValue(o.Value))
			}
		}
	}
	scheme, rest := SplitScheme(address)
	hp, err := ParseHostPort(rest)
	if err != nil {
		t.Fatal(err)
	}
	method, _ := transportCryptoMethod(scheme, ctx)
	opts := TLSClientOptions{
		Context: ctx, Method: method, URLName: urlNameOf(rest),
		Timeout:   time.Duration(timeout * float64(time.Second)),
		IniCAFile: c.Ini["openssl.cafile"], IniCAPath: c.Ini["openssl.capath"],
	}
	host := strings.Trim(hp.Host, "[]")
	raw, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(int(hp.Port))), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var got []string
	diag := func(d Diagnostic) {
		if d.Prefixed {
			d.Func = fn
		}
		got = append(got, d.Level.String()+" "+strings.ReplaceAll(d.String(), certs, "{certs}"))
	}
	conn, info, err := clientHandshake(context.Background(), raw, opts, diag)
	var ve *CryptoValueError
	obs := r.Steps[0]
	if errors.As(err, &ve) {
		if obs.Throws == nil || string(obs.Throws.Message) != ve.Message {
			t.Fatalf("threw %q, PHP: %+v", ve.Message, obs)
		}
		return
	}
	if err != nil {
		got = append(got, "E_WARNING "+fn+"(): Failed to enable crypto")
	}
	var want []string
	for _, w := range obs.Warnings {
		if strings.Contains(string(w.Message), "(): Unable to connect to ") {
			continue
		}
		want = append(want, w.Level+" "+string(w.Message))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("connect warnings:\n got  %q\n want %q", got, want)
	}
	if (conn != nil) != (obs.Ret != nil && obs.Ret.Type == "resource") {
		t.Fatalf("connected %v, PHP: %+v", conn != nil, obs.Ret)
	}
	if conn == nil {
		return
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	for i, step := range c.Steps[1:] {
		o := r.Steps[i+1]
		switch step.Call {
		case "fgets":
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			line, err := br.ReadString('\n')
			if o.Ret.Type == "string" {
				if line != string(o.Ret.Str) {
					t.Fatalf("fgets: %q (%v), PHP %q", line, err, o.Ret.Str)
				}
				continue
			}
			var w []string
			if t := openssl.ReadErrorText(err); t != "" {
				w = append(w, "fgets(): "+t)
			}
			var pw []string
			for _, x := range o.Warnings {
				pw = append(pw, string(x.Message))
			}
			if strings.Join(w, "\n") != strings.Join(pw, "\n") {
				t.Fatalf("fgets error %v:\n got  %q\n want %q", err, w, pw)
			}
		case "stream_get_meta_data":
			cryptoRet := o.Ret
			if len(step.Pick) == 0 {
				cryptoRet = nil
				for _, e := range o.Ret.Elems {
					if keyString(e.Key) == "crypto" {
						v := e.Val
						cryptoRet = &v
					}
				}
			}
			if gotMeta, wantMeta := cryptoElems(info, step.Drop), retString(cryptoRet); gotMeta != wantMeta {
				t.Fatalf("crypto meta:\n got  %s\n want %s", gotMeta, wantMeta)
			}
		case "fwrite":
			msg := string(step.Args[1].(conformance.Str))
			if _, err := io.WriteString(conn, msg); err != nil {
				t.Fatal(err)
			}
		case "fread":
			buf := make([]byte, 100)
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			n, _ := br.Read(buf)
			if string(buf[:n]) != string(o.Ret.Str) {
				t.Fatalf("fread: %q, PHP %q", buf[:n], o.Ret.Str)
			}
		case "stream_context_get_options":
			var keys []string
			for _, e := range o.Ret.Elems {
				if e.Val.Type == "object" || e.Val.Type == "array" {
					keys = append(keys, keyString(e.Key))
				}
			}
			var have []string
			if info.PeerCertificate != nil {
				have = append(have, "peer_certificate")
			}
			if info.PeerCertificateChain != nil {
				have = append(have, "peer_certificate_chain")
			}
			if strings.Join(keys, ",") != strings.Join(have, ",") {
				t.Fatalf("captured %v, PHP %v", have, keys)
			}
		}
	}
}

// cryptoElems renders the crypto array as PHP builds it, minus drop.
func cryptoElems(info *CryptoInfo, drop []string) string {
	dropped := map[string]bool{}
	for _, d := range drop {
		dropped[strings.TrimPrefix(d, "crypto.")] = true
	}
	var parts []string
	add := func(k, v string) {
		if !dropped[k] {
			parts = append(parts, k+"="+v)
		}
	}
	add("protocol", info.Protocol)
	add("cipher_name", info.CipherName)
	add("cipher_bits", strconv.Itoa(info.CipherBits))
	add("cipher_version", info.CipherVersion)
	if info.ALPN != "" {
		add("alpn_protocol", info.ALPN)
	}
	return strings.Join(parts, " ")
}

func retString(r *conformance.Ret) string {
	if r == nil {
		return "<none>"
	}
	var parts []string
	for _, e := range r.Elems {
		v := string(e.Val.Str)
		if e.Val.Type == "int" {
			v = strconv.FormatInt(e.Val.Int, 10)
		}
		parts = append(parts, keyString(e.Key)+"="+v)
	}
	return strings.Join(parts, " ")
}

func keyString(k conformance.Key) string {
	if k.IsInt {
		return strconv.FormatInt(k.Int, 10)
	}
	return string(k.Str)
}
