/**
 * Internals of the typed-call codec: the value codecs, the type derivation, the bounded reader
 * and writer. Not API; may change without notice.
 */
package dev.cella.protocol.codec.internal;
