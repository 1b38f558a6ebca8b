/**
 * Cella's host-facing API and value types: {@link dev.cella.Enclave}, {@link
 * dev.cella.EnclaveIdentity}, {@link dev.cella.EnclaveException} and their friends. Depends on the
 * JDK only.
 */
package dev.cella;
