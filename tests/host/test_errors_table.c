/* The HRESULT name table (src/core/errors.c) is what wbemsink_hresult_name
   binary-searches: strictly increasing, no duplicate, no empty name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "host_port.h"

static void table_sorted_unique(void **state)
{
    (void)state;
    assert_int_equal(ws_hresult_table_check(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_sorted_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
