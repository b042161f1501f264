// Status propagation macros. Debian's abseil (20220623) predates ABSL_RETURN_IF_ERROR.
#ifndef CDISCAN_BASE_STATUS_MACROS_H_
#define CDISCAN_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CDISCAN_CONCAT_INNER_(a, b) a##b
#define CDISCAN_CONCAT_(a, b) CDISCAN_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` yields a non-OK absl::Status.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::absl::Status cdiscan_status_ = (expr);         \
    if (!cdiscan_status_.ok()) return cdiscan_status_; \
  } while (0)

// `lhs` = value of the absl::StatusOr `rexpr`, or returns its status.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ASSIGN_OR_RETURN_IMPL_(CDISCAN_CONCAT_(cdiscan_statusor_, __LINE__), lhs, rexpr)
#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                           \
  if (!statusor.ok()) return statusor.status();      \
  lhs = std::move(statusor).value()

#endif  // CDISCAN_BASE_STATUS_MACROS_H_
