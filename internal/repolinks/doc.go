// Package repolinks holds only a test: every reference in the repository's
// sources and documents points inside the repository. A reader of `go doc`,
// a README or a header comment must never meet a file that is not there.
package repolinks
