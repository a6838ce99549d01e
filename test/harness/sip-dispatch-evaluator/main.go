// sip-dispatch-evaluator asks a running livekit-server which dispatch rule takes an inbound call,
// exactly as livekit-sip asks it for every INVITE: the IOInfo.EvaluateSIPDispatchRules RPC over
// the Redis bus the two share. livekit-server matches the inbound trunk and the dispatch rule with
// its own code and answers with the room and its agent dispatch; nothing is created.
//
// Usage: sip-dispatch-evaluator -redis 127.0.0.1:6379 -to +15005550006 -from +14155550100 -src 127.0.0.1
// Prints one JSON object: the response (protojson), or {"error": "..."}.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/livekit/protocol/rpc"
	"github.com/livekit/psrpc"
	"github.com/redis/go-redis/v9"
	"google.golang.org/protobuf/encoding/protojson"
)

func fail(err error) {
	out, _ := json.Marshal(map[string]string{"error": err.Error()})
	fmt.Println(string(out))
	os.Exit(1)
}

func main() {
	redisAddr := flag.String("redis", "", "host:port of the Redis livekit-server uses")
	to := flag.String("to", "", "called number")
	from := flag.String("from", "", "calling number")
	src := flag.String("src", "127.0.0.1", "source address of the INVITE")
	flag.Parse()

	bus := psrpc.NewRedisMessageBus(redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{*redisAddr}}))
	client, err := rpc.NewIOInfoClient(bus)
	if err != nil {
		fail(err)
	}
	req := &rpc.EvaluateSIPDispatchRulesRequest{
		SipCallId:     "SCL_evaluator",
		CalledNumber:  *to,
		CallingNumber: *from,
		SrcAddress:    *src,
		NoPin:         true,
	}
	// A fresh client's Redis subscription for replies may not be active when its first request
	// goes out, and psrpc then reports "no response from servers"; evaluating creates nothing, so
	// asking again is safe.
	var resp *rpc.EvaluateSIPDispatchRulesResponse
	for attempt := 1; ; attempt++ {
		resp, err = client.EvaluateSIPDispatchRules(context.Background(), req, psrpc.WithRequestTimeout(5*time.Second))
		if err == nil || attempt == 3 {
			break
		}
	}
	if err != nil {
		fail(err)
	}
	out, err := protojson.Marshal(resp)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}
