/**
 * Cella's signed bundle ({@code .cella}): the {@link dev.cella.bundle.Manifest}, building ({@link
 * dev.cella.bundle.BundleBuilder}), signing ({@link dev.cella.bundle.BundleSigningKey}, {@link
 * dev.cella.bundle.UnsignedBundle}) and verified reading ({@link dev.cella.bundle.Bundle}). The
 * format is specified in {@code docs/bundle-format.md}.
 */
package dev.cella.bundle;
