/* Prints what report/ooxml.h finds in each workbook named ("ok" when nothing):
 *   ooxml_check FILE...     (exit 0: every file was checked) */
#include "report/ooxml.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        char *why = ooxml_problem(argv[i]);
        printf("%s: %s\n", argv[i], why ? why : "ok");
        free(why);
    }
    return 0;
}
