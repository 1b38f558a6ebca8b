/**
 * Sealing for enclave code: {@link dev.cella.enclave.sealing.Sealer} binds data to the enclave's
 * identity ({@link dev.cella.enclave.sealing.SealPolicy#MEASUREMENT} or {@link
 * dev.cella.enclave.sealing.SealPolicy#SIGNER}) with the SVN rule "own or lower SVN only", and
 * {@link dev.cella.enclave.sealing.SealedFileSystems} gives a {@code java.nio.file} file system
 * whose files the host stores only sealed, with tampering, swapping and rollback detected. The
 * runtime creates {@link dev.cella.enclave.sealing.SealingKeys} from the platform's keys; the
 * formats and the threat model are in {@code docs/sealing.md}.
 */
package dev.cella.enclave.sealing;
