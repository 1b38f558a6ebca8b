/**
 * The backend SPI: what a backend author implements ({@link dev.cella.spi.Backend}) and what the
 * host runtime hands it. Applications do not use these types.
 */
package dev.cella.spi;
