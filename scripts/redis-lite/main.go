// redis-lite: a Redis-protocol server on loopback for the multi-process Socket.IO tests, used when
// no redis-server is installed. It is miniredis (an in-memory Redis written in Go for tests), which
// serves what the Socket.IO Redis adapter sends: PUBLISH, (P)SUBSCRIBE, PUBSUB NUMSUB, PING.
// Built from the Go module proxy into .tools/bin by test/support/redis-lite-build.ts.
//
// Usage: redis-lite --port N [--bind 127.0.0.1]; prints "ready ADDR" once listening and stops on
// SIGTERM, SIGINT or when stdin closes (so a crashed test run leaves no server behind).
// redis-lite --version prints the miniredis version it was built with.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"

	"github.com/alicebob/miniredis/v2"
)

func main() {
	port := flag.Int("port", 6379, "TCP port")
	bind := flag.String("bind", "127.0.0.1", "listen address")
	version := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *version {
		fmt.Println("redis-lite", miniredisVersion())
		return
	}

	server := miniredis.NewMiniRedis()
	if err := server.StartAddr(net.JoinHostPort(*bind, strconv.Itoa(*port))); err != nil {
		fmt.Fprintln(os.Stderr, "redis-lite:", err)
		os.Exit(1)
	}
	fmt.Println("ready", server.Addr())

	done := make(chan struct{}, 2)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() { <-signals; done <- struct{}{} }()
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); done <- struct{}{} }()
	<-done
	server.Close()
}

func miniredisVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/alicebob/miniredis/v2" {
				return "miniredis " + dep.Version
			}
		}
	}
	return "miniredis (unknown version)"
}
