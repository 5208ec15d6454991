#ifndef ZORGNET_CLIBXML2_SHIM_H
#define ZORGNET_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so encoding.h would pull in the system's ICU headers, whose
 * UErrorCode clashes with Foundation's bundled ICU ("'UErrorCode' has different definitions in
 * different modules") in any module that imports both Foundation and something importing this one.
 * ICU only adds two trailing pointer fields to xmlCharEncodingHandler, which Swift never touches. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlschemas.h>
#endif
