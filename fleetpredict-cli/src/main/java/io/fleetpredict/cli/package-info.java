/**
 * The {@code fleetpredict} command line: {@code demo}, {@code forecast}, {@code validate} and the steps of
 * the loop on documents.
 *
 * <p>Output is human-readable by default and JSON with {@code --format json}. Errors go to stderr with the
 * file, the field and what was wrong; exit codes: 0 success, 2 usage, 3 invalid input, 4 provider failure.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
package io.fleetpredict.cli;
