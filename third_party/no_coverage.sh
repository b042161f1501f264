#!/bin/sh
# Coverage reports are not generated offline; see .bazelrc.
exit 1
