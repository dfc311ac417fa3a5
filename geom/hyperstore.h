/*
 * hyperstore.h — the umbrella header: a service includes this one file.
 *
 * Installed as <hyperstore/hyperstore.h> (pkg-config's Cflags also put that
 * folder on the include path, so <hyperstore.h> works too).  Each module adds
 * its public headers here, lowest layer first.
 */
#ifndef HYPERSTORE_H
#define HYPERSTORE_H

#include "hyp_error.h"
#include "hyp_geom.h"
#include "hyp_fixed.h"

#endif
