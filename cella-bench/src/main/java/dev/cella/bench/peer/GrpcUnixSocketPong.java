package dev.cella.bench.peer;

import dev.cella.bench.BytesMarshaller;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCalls;

/**
 * The far end of the gRPC baseline: a grpc-java server (Netty, epoll) on the Unix-domain socket
 * it is given, with one unary method that answers each request with its own bytes, until its
 * standard input closes. What a Java team would otherwise pick to talk to a separate process.
 */
public final class GrpcUnixSocketPong {
  /** The echo method, for the client to call. */
  public static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("cella.bench.Pong/Echo")
          .setRequestMarshaller(BytesMarshaller.INSTANCE)
          .setResponseMarshaller(BytesMarshaller.INSTANCE)
          .build();

  private GrpcUnixSocketPong() {}

  public static void main(String[] args) throws Exception {
    EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    var server = NettyServerBuilder.forAddress(new DomainSocketAddress(args[0]))
        .channelType(EpollServerDomainSocketChannel.class)
        .bossEventLoopGroup(group).workerEventLoopGroup(group)
        .directExecutor()
        .addService(ServerServiceDefinition.builder("cella.bench.Pong")
            .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
              response.onNext(request);
              response.onCompleted();
            }))
            .build())
        .build().start();
    try {
      while (System.in.read() >= 0) {
        // The host closes standard input when the benchmark ends.
      }
    } finally {
      server.shutdownNow();
      group.shutdownGracefully();
    }
  }
}
