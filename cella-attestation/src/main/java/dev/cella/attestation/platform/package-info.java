/**
 * The keys of Cella's software platforms (sim, process, vm): {@link
 * dev.cella.attestation.platform.SoftwarePlatform} creates them on first use in a platform
 * directory, signs evidence with them and derives sealing seeds.
 */
package dev.cella.attestation.platform;
