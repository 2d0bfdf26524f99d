/**
 * The JSON documents fleetpredict reads and writes, as validated records, and their codec
 * {@link io.fleetpredict.core.document.Documents}.
 *
 * <p>Every parameter and return value in this package is non-null unless annotated {@code @Nullable};
 * record components annotated so, and documented as "{@code null} when absent", mirror optional JSON
 * fields.
 *
 * <p>Every instant a record holds lies from {@link io.fleetpredict.core.document.Documents#EARLIEST_INSTANT} to
 * {@link io.fleetpredict.core.document.Documents#LATEST_INSTANT}, the four-digit years the schemas allow: a record
 * given another refuses it with an {@link IllegalArgumentException} naming the component, so nothing can write a
 * document its reader would refuse.
 */
@NullMarked
package io.fleetpredict.core.document;

import org.jspecify.annotations.NullMarked;
