/**
 * The {@code fleetpredict} command line: {@code demo}, {@code forecast}, {@code validate} and the steps of
 * the loop on documents.
 *
 * <p>Output is human-readable by default and JSON with {@code --format json}. Errors go to stderr with the
 * file, the field and what was wrong; exit codes: 0 success, 2 usage, 3 invalid input (a Prometheus server read
 * from included), 4 cloud provider failure.
 *
 * <p>Nothing in this package is null unless marked {@code @Nullable}; NullAway checks it at compile time. An
 * option that may be absent is such a field.
 */
@NullMarked
package io.fleetpredict.cli;

import org.jspecify.annotations.NullMarked;
