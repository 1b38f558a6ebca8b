/**
 * The typed-call codec: turns a call of a Java service interface into bytes and back, derived
 * once from the interface's method signatures ({@link dev.cella.protocol.codec.ServiceCodec}),
 * one {@link dev.cella.protocol.codec.MethodCodec} per remote method. It supports primitives,
 * {@code String}, {@code byte[]}, enums, records, and {@code List}/{@code Set}/{@code Map}/{@code
 * Optional} of supported types, refuses every other type at derivation, and never uses Java
 * serialization. Bad input fails with {@link dev.cella.protocol.codec.CodecException} only. The
 * wire format is described in {@code docs/codec-format.md}.
 *
 * <p>It knows nothing of frames or transports; the host and enclave runtimes carry its messages.
 */
package dev.cella.protocol.codec;
