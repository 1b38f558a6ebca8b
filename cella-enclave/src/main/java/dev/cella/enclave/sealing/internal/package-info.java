/**
 * Internals of sealing and sealed storage: the blob format and key schedule, the manifest and its
 * counter-bound journal, the file objects, and the {@code java.nio.file} provider. Not API.
 */
package dev.cella.enclave.sealing.internal;
