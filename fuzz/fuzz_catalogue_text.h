/*  fuzz_catalogue_text.h — the small catalogue fuzz_codec checks updates
    against, and whose ids make_seeds writes into its seed batches, so that
    the seeds reach past the id checks into the store. Three levels, so a
    leaf's update rolls up twice; a whole and a decimal indicator; a flow,
    a stock and a cumulative one; a source with a subtree and one with a
    single leaf. employed_new has plausible bounds that only warn, and
    registered a strict maximum that refuses (core/quality.h). */
#ifndef FUZZ_CATALOGUE_TEXT_H_INCLUDED
#define FUZZ_CATALOGUE_TEXT_H_INCLUDED

#define FUZZ_CATALOGUE_TEXT                                                    \
    "catalogue\n"                                                              \
    "    year = 2003\n"                                                        \
    "regions\n"                                                                \
    "    city = \"City\"\n"                                                    \
    "        city.north = \"North\"\n"                                         \
    "            city.north.a = \"North A\"\n"                                 \
    "            city.north.b = \"North B\"\n"                                 \
    "        city.south = \"South\"\n"                                         \
    "indicators\n"                                                             \
    "    employed_new\n"                                                       \
    "        unit = persons\n"                                                 \
    "        time = flow\n"                                                    \
    "        min = 1\n"                                                        \
    "        max = 110\n"                                                      \
    "        max_change = 100\n"                                               \
    "    wages\n"                                                              \
    "        unit = yuan\n"                                                    \
    "        time = flow\n"                                                    \
    "        whole = no\n"                                                     \
    "    registered\n"                                                         \
    "        unit = persons\n"                                                 \
    "        time = stock\n"                                                   \
    "        max = 4000\n"                                                     \
    "        strict = yes\n"                                                   \
    "    certificates\n"                                                       \
    "        unit = certificates\n"                                            \
    "        time = cumulative\n"                                              \
    "sources\n"                                                                \
    "    north\n"                                                              \
    "        regions = \"city.north\"\n"                                       \
    "    south\n"                                                              \
    "        regions = \"city.south\"\n"

#endif
