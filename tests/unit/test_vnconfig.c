// SPDX-License-Identifier: MIT
// libvn config parser unit tests: values and defaults, every class of
// diagnostic with its exact text and position, file order, limits, the
// suggestion for unknown keys, and the --dry-run JSON.
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

static char dir[64];

/* A directory with a kernel file and two disk images. */
static void setup(void)
{
    static const char *const files[] = {"k.elf", "a.img", "b.img"};
    char path[128];

    strcpy(dir, "/tmp/test_vnconfig.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    for (size_t i = 0; i < 3; i++) {
        int fd;

        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        fd = open(path, O_WRONLY | O_CREAT, 0644);
        cr_assert_geq(fd, 0);
        close(fd);
    }
    snprintf(path, sizeof(path), "%s/sub", dir);
    mkdir(path, 0755);
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(config, .init = setup, .fini = teardown);

/* Parses text as "t.yaml" in dir; *errors gets the diagnostics. */
static int parse(const char *text, struct vn_config **cfg, char **errors)
{
    *cfg = NULL;
    return vn_config_parse("t.yaml", text, strlen(text), dir, cfg, errors);
}

/* The diagnostics for text, which must be invalid. */
static char *errors_of(const char *text)
{
    struct vn_config *cfg;
    char *err = NULL;

    cr_assert_eq(parse(text, &cfg, &err), -EINVAL, "accepted: %s", text);
    cr_assert_null(cfg);
    cr_assert_not_null(err);
    return err;
}

static void expect_error(const char *text, const char *want)
{
    char *err = errors_of(text);

    cr_expect_str_eq(err, want);
    free(err);
}

static struct vn_config *valid(const char *text)
{
    struct vn_config *cfg;
    char *err = NULL;
    int rc = parse(text, &cfg, &err);

    cr_assert_eq(rc, 0, "rejected (%d): %s\n%s", rc, text, err ? err : "");
    cr_assert_null(err);
    return cfg;
}

Test(config, minimal_has_defaults)
{
    struct vn_config *c = valid("name: web\nkernel: k.elf\n");
    char want[128];

    snprintf(want, sizeof(want), "%s/k.elf", dir);
    cr_expect_str_eq(c->name, "web");
    cr_expect_str_eq(c->kernel, want);
    cr_expect_str_eq(c->cmdline, "");
    cr_expect_eq(c->memory_mib, VN_CFG_MEMORY_DEFAULT);
    cr_expect_eq(c->vcpus, 1);
    cr_expect_eq(c->ndisks, 0);
    cr_expect_eq(c->nnics, 0);
    cr_expect_eq(c->on_poweroff, VN_ACTION_DESTROY);
    cr_expect_eq(c->on_reboot, VN_ACTION_RESTART);
    cr_expect_eq(c->on_crash, VN_ACTION_DESTROY);
    cr_expect_str_eq(c->file, "t.yaml");
    vn_config_free(c);
}

Test(config, every_key)
{
    struct vn_config *c = valid("name: db.2_x-y\n"
                                "kernel: ./k.elf\n"
                                "cmdline: 'console=hvc0 a=\"b\"'\n"
                                "memory: 256\n"
                                "vcpus: 2\n"
                                "disks:\n"
                                "  - {target: a.img, vdev: xvda}\n"
                                "  - target: b.img\n"
                                "    vdev: xvdb\n"
                                "    access: ro\n"
                                "    format: raw\n"
                                "nics:\n"
                                "  - mac: 00:16:3E:0a:0b:0c\n"
                                "    switch: lan\n"
                                "    model: netfront\n"
                                "  - {}\n"
                                "on_poweroff: preserve\n"
                                "on_reboot: destroy\n"
                                "on_crash: restart\n");

    cr_expect_str_eq(c->name, "db.2_x-y");
    cr_expect_str_eq(c->cmdline, "console=hvc0 a=\"b\"");
    cr_expect_eq(c->memory_mib, 256);
    cr_expect_eq(c->vcpus, 2);
    cr_assert_eq(c->ndisks, 2);
    cr_expect_str_eq(c->disks[0].vdev, "xvda");
    cr_expect_not(c->disks[0].readonly);
    cr_expect_str_eq(c->disks[0].format, "raw");
    cr_expect(c->disks[1].readonly);
    cr_assert_eq(c->nnics, 2);
    cr_expect(c->nics[0].has_mac);
    cr_expect_eq(c->nics[0].mac[2], 0x3e);
    cr_expect_eq(c->nics[0].mac[5], 0x0c);
    cr_expect_str_eq(c->nics[0].sw, "lan");
    cr_expect_not(c->nics[1].has_mac);
    cr_expect_str_eq(c->nics[1].sw, "vnsw0");
    cr_expect_str_eq(c->nics[1].model, "netfront");
    cr_expect_eq(c->on_poweroff, VN_ACTION_PRESERVE);
    cr_expect_eq(c->on_reboot, VN_ACTION_DESTROY);
    cr_expect_eq(c->on_crash, VN_ACTION_RESTART);
    vn_config_free(c);
}

Test(config, memory_units)
{
    static const struct {
        const char *text;
        uint64_t mib;
    } cases[] = {{"4", 4},        {"\"512\"", 512}, {"512M", 512},
                 {"512MiB", 512}, {"1G", 1024},     {"2GiB", 2048},
                 {"64G", 65536},  {"'16m'", 16},    {"1g", 1024}};
    char text[128];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vn_config *c;

        snprintf(text, sizeof(text), "name: a\nkernel: k.elf\nmemory: %s\n",
                 cases[i].text);
        c = valid(text);
        cr_expect_eq(c->memory_mib, cases[i].mib, "%s", cases[i].text);
        vn_config_free(c);
    }
}

Test(config, memory_out_of_range_and_malformed)
{
    expect_error("name: a\nkernel: k.elf\nmemory: 3\n",
                 "t.yaml:3:9: error: 'memory' must be from 4 to 65536 MiB, "
                 "found '3'\n");
    expect_error("name: a\nkernel: k.elf\nmemory: 65G\n",
                 "t.yaml:3:9: error: 'memory' must be from 4 to 65536 MiB, "
                 "found '65G'\n");
    expect_error("name: a\nkernel: k.elf\nmemory: 99999999999999999999\n",
                 "t.yaml:3:9: error: 'memory' must be a number of MiB or a "
                 "size such as \"512M\" or \"1G\", found "
                 "'99999999999999999999'\n");
    expect_error("name: a\nkernel: k.elf\nmemory: 512K\n",
                 "t.yaml:3:9: error: 'memory' must be a number of MiB or a "
                 "size such as \"512M\" or \"1G\", found '512K'\n");
    expect_error("name: a\nkernel: k.elf\nmemory:\n",
                 "t.yaml:3:8: error: 'memory' must be a number of MiB or a "
                 "size such as \"512M\" or \"1G\", found nothing\n");
}

Test(config, unknown_key_suggests_closest)
{
    expect_error("name: a\nkernel: k.elf\nmemroy: 64\n",
                 "t.yaml:3:1: error: unknown key 'memroy' (did you mean "
                 "'memory'?)\n");
    expect_error("name: a\nkernel: k.elf\nvif: []\n",
                 "t.yaml:3:1: error: unknown key 'vif' (did you mean "
                 "'nics'?)\n");
    expect_error("name: a\nkernel: k.elf\ncolour: red\n",
                 "t.yaml:3:1: error: unknown key 'colour' (expected one of: "
                 "name, kernel, cmdline, memory, vcpus, disks, nics, "
                 "on_poweroff, on_reboot, on_crash)\n");
}

Test(config, edit_distance)
{
    cr_expect_eq(cfg_edit_distance("memory", "memory"), 0);
    cr_expect_eq(cfg_edit_distance("memroy", "memory"), 1);
    cr_expect_eq(cfg_edit_distance("kernal", "kernel"), 1);
    cr_expect_eq(cfg_edit_distance("", "abc"), 3);
    cr_expect_eq(cfg_edit_distance("on_crsh", "on_crash"), 1);
    cr_expect_eq(cfg_edit_distance("vcpu", "cpus"), 2);
}

Test(config, duplicate_key)
{
    expect_error("name: a\nkernel: k.elf\nmemory: 16\nmemory: 32\n",
                 "t.yaml:4:1: error: duplicate key 'memory' (first given at "
                 "line 3, column 1)\n");
}

Test(config, missing_required_keys)
{
    expect_error("memory: 16\n",
                 "t.yaml:1:1: error: missing required key 'name'\n"
                 "t.yaml:1:1: error: missing required key 'kernel'\n");
}

Test(config, syntax_error_has_position)
{
    expect_error("name: a\n  kernel: k.elf\n",
                 "t.yaml:2:9: error: mapping values are not allowed in this "
                 "context\n");
    expect_error("name: a\n\tkernel: k.elf\n",
                 "t.yaml:2:1: error: found a tab character that violates "
                 "indentation (while scanning a plain scalar at line 1, "
                 "column 7)\n");
}

Test(config, document_shape)
{
    expect_error("", "t.yaml:1:1: error: the file is empty; expected a mapping "
                     "with at least 'name' and 'kernel'\n");
    expect_error("# only a comment\n",
                 "t.yaml:1:1: error: the file is empty; expected a mapping "
                 "with at least 'name' and 'kernel'\n");
    expect_error("- a\n- b\n", "t.yaml:1:1: error: expected a mapping of keys "
                               "to values at the top level, found a list\n");
    expect_error("name: a\nkernel: k.elf\n---\nname: b\n",
                 "t.yaml:3:1: error: a second YAML document; a config holds "
                 "exactly one\n");
    expect_error("name: &n a\nkernel: *n\n",
                 "t.yaml:2:9: error: YAML aliases are not supported in a "
                 "domain config\n");
    expect_error("name: !!str a\nkernel: k.elf\n",
                 "t.yaml:1:7: error: YAML tags are not supported in a domain "
                 "config\n");
    expect_error("name: a\nkernel: k.elf\n[x]: 1\n",
                 "t.yaml:3:1: error: a key must be a plain word, found a "
                 "list\n");
}

Test(config, kernel_paths)
{
    struct vn_config *c;
    char text[256];

    expect_error("name: a\nkernel: nothere.elf\n",
                 "t.yaml:2:9: error: kernel 'nothere.elf': No such file or "
                 "directory\n");
    expect_error("name: a\nkernel: sub\n",
                 "t.yaml:2:9: error: kernel 'sub': not a regular file\n");
    expect_error("name: a\nkernel:\n", "t.yaml:2:8: error: 'kernel' must be "
                                       "a file name, found nothing\n");
    snprintf(text, sizeof(text), "name: a\nkernel: %s/k.elf\n", dir);
    c = valid(text);
    snprintf(text, sizeof(text), "%s/k.elf", dir);
    cr_expect_str_eq(c->kernel, text);
    vn_config_free(c);
    c = valid("name: a\nkernel: sub/../k.elf\n");
    snprintf(text, sizeof(text), "%s/sub/../k.elf", dir);
    cr_expect_str_eq(c->kernel, text);
    vn_config_free(c);
}

Test(config, names)
{
    char text[160];

    expect_error("name: 42\nkernel: k.elf\n",
                 "t.yaml:1:7: error: 'name' must not be all digits (it would "
                 "read as a domain id), found '42'\n");
    expect_error("name: a/b\nkernel: k.elf\n",
                 "t.yaml:1:7: error: 'name' must be letters, digits, '.', '_' "
                 "and '-', not starting with '.' or '-', found 'a/b'\n");
    expect_error("name: -a\nkernel: k.elf\n",
                 "t.yaml:1:7: error: 'name' must be letters, digits, '.', '_' "
                 "and '-', not starting with '.' or '-', found '-a'\n");
    expect_error("name: [a]\nkernel: k.elf\n",
                 "t.yaml:1:7: error: 'name' must be a string, found a list\n");
    snprintf(text, sizeof(text), "name: %064d\nkernel: k.elf\n", 7);
    text[6] = 'x';
    expect_error(text, "t.yaml:1:7: error: 'name' must be at most 63 "
                       "characters, found 'x000000000000000000000000000000000"
                       "000000...'\n");
}

Test(config, vcpus_and_actions)
{
    expect_error("name: a\nkernel: k.elf\nvcpus: 0\n",
                 "t.yaml:3:8: error: 'vcpus' must be a whole number from 1 to "
                 "32, found '0'\n");
    expect_error("name: a\nkernel: k.elf\nvcpus: '2'\n",
                 "t.yaml:3:8: error: 'vcpus' must be a whole number from 1 to "
                 "32, found '2'\n");
    expect_error("name: a\nkernel: k.elf\non_crash: reboot\n",
                 "t.yaml:3:11: error: 'on_crash' must be destroy, restart or "
                 "preserve, found 'reboot'\n");
    expect_error("name: a\nkernel: k.elf\non_reboot: restrat\n",
                 "t.yaml:3:12: error: 'on_reboot' must be destroy, restart or "
                 "preserve, found 'restrat' (did you mean 'restart'?)\n");
}

Test(config, disks)
{
    expect_error("name: a\nkernel: k.elf\ndisks: a.img\n",
                 "t.yaml:3:8: error: 'disks' must be a list of disks, found "
                 "'a.img'\n");
    expect_error("name: a\nkernel: k.elf\ndisks: [a.img]\n",
                 "t.yaml:3:9: error: each disk must be a mapping of keys to "
                 "values, found 'a.img'\n");
    expect_error("name: a\nkernel: k.elf\ndisks:\n  - target: a.img\n",
                 "t.yaml:4:5: error: missing required disk key 'vdev'\n");
    expect_error("name: a\nkernel: k.elf\ndisks:\n"
                 "  - {target: a.img, vdev: xvda, acess: ro}\n",
                 "t.yaml:4:33: error: unknown disk key 'acess' (did you mean "
                 "'access'?)\n");
    expect_error("name: a\nkernel: k.elf\ndisks:\n"
                 "  - {target: a.img, vdev: xvda1}\n",
                 "t.yaml:4:27: error: 'vdev' must name a whole virtual disk "
                 "such as xvda, found 'xvda1'\n");
    expect_error("name: a\nkernel: k.elf\ndisks:\n"
                 "  - {target: a.img, vdev: xvda, access: rx}\n",
                 "t.yaml:4:41: error: 'access' must be ro or rw, found "
                 "'rx' (did you mean 'ro'?)\n");
    expect_error("name: a\nkernel: k.elf\ndisks:\n"
                 "  - {target: c.img, vdev: xvda}\n",
                 "t.yaml:4:14: error: disk target 'c.img': No such file or "
                 "directory\n");
    expect_error("name: a\nkernel: k.elf\ndisks:\n"
                 "  - {target: a.img, vdev: xvda}\n"
                 "  - {target: b.img, vdev: xvda}\n",
                 "t.yaml:5:27: error: duplicate vdev 'xvda' (disk 1 has it "
                 "already)\n");
    expect_error("name: a\nkernel: k.elf\ndisks:\n"
                 "  - {target: a.img, vdev: xvda, format: qcow2}\n",
                 "t.yaml:4:41: error: 'format' must be raw, found 'qcow2'\n");
}

Test(config, nics)
{
    expect_error("name: a\nkernel: k.elf\nnics: [{mac: 00:16:3e:00:00}]\n",
                 "t.yaml:3:14: error: 'mac' must be six hex bytes such as "
                 "00:16:3e:12:34:56, found '00:16:3e:00:00'\n");
    expect_error("name: a\nkernel: k.elf\nnics: [{mac: 01:16:3e:00:00:01}]\n",
                 "t.yaml:3:14: error: 'mac' must be a unicast address (first "
                 "byte even), found '01:16:3e:00:00:01'\n");
    expect_error("name: a\nkernel: k.elf\nnics:\n"
                 "  - {mac: 00:16:3e:00:00:01}\n"
                 "  - {mac: 00:16:3E:00:00:01}\n",
                 "t.yaml:5:11: error: duplicate mac '00:16:3E:00:00:01' (nic 1 "
                 "has it already)\n");
    expect_error("name: a\nkernel: k.elf\nnics: [{bridge: br0}]\n",
                 "t.yaml:3:9: error: unknown nic key 'bridge' (did you mean "
                 "'switch'?)\n");
    expect_error("name: a\nkernel: k.elf\nnics: [{model: e1000}]\n",
                 "t.yaml:3:16: error: 'model' must be netfront, found "
                 "'e1000'\n");
    expect_error("name: a\nkernel: k.elf\nnics: [{switch: 'a b'}]\n",
                 "t.yaml:3:17: error: 'switch' must be 1 to 15 letters, "
                 "digits, '.', '_' or '-', found 'a b'\n");
}

Test(config, errors_come_in_file_order)
{
    expect_error("on_crash: bad\n"
                 "disks: [{vdev: xvda}]\n"
                 "name: 1\n",
                 "t.yaml:1:1: error: missing required key 'kernel'\n"
                 "t.yaml:1:11: error: 'on_crash' must be destroy, restart or "
                 "preserve, found 'bad'\n"
                 "t.yaml:2:9: error: missing required disk key 'target'\n"
                 "t.yaml:3:7: error: 'name' must not be all digits (it would "
                 "read as a domain id), found '1'\n");
}

Test(config, too_many_errors_are_capped)
{
    char text[2048] = "name: a\nkernel: k.elf\n";
    char *err;
    int lines = 0;

    for (int i = 0; i < 30; i++)
        snprintf(text + strlen(text), sizeof(text) - strlen(text),
                 "bogus%d: 1\n", i);
    err = errors_of(text);
    for (char *p = err; *p; p++)
        lines += *p == '\n';
    cr_expect_eq(lines, VN_CFG_MAX_ERRORS + 1);
    cr_expect_not_null(strstr(err, "t.yaml: error: too many errors (30)\n"));
    free(err);
}

Test(config, limits)
{
    struct vn_config *cfg = NULL;
    char *err = NULL, *big = calloc(1, VN_CFG_FILE_MAX + 2);
    char deep[256] = "name: a\nkernel: k.elf\nnics: ";

    cr_assert_not_null(big);
    memset(big, '#', VN_CFG_FILE_MAX + 1);
    cr_expect_eq(
        vn_config_parse("t.yaml", big, VN_CFG_FILE_MAX + 1, dir, &cfg, &err),
        -EFBIG);
    cr_expect_str_eq(err, "t.yaml: error: larger than 1048576 bytes\n");
    free(err);
    free(big);
    for (int i = 0; i < 10; i++)
        strcat(deep, "[");
    expect_error(deep, "t.yaml:3:15: error: nested more than 8 levels deep\n");
}

Test(config, load_from_file)
{
    struct vn_config *cfg = NULL;
    char path[128], *err = NULL;
    FILE *f;

    snprintf(path, sizeof(path), "%s/sub/c.yaml", dir);
    cr_expect_eq(vn_config_load(path, &cfg, &err), -ENOENT);
    cr_assert_not_null(err);
    cr_expect(strstr(err, "error: cannot read: No such file or directory\n"));
    free(err);
    f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("name: a\nkernel: ../k.elf\n", f);
    fclose(f);
    err = NULL;
    cr_assert_eq(vn_config_load(path, &cfg, &err), 0);
    snprintf(path, sizeof(path), "%s/sub/../k.elf", dir);
    cr_expect_str_eq(cfg->kernel, path);
    vn_config_free(cfg);
}

Test(config, dry_run_json)
{
    struct vn_config *c =
        valid("name: j\nkernel: k.elf\ncmdline: \"a\\tb\\\"c\"\n"
              "nics: [{mac: 00:16:3e:00:00:0A}]\n");
    char *out = NULL, want[1024];
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    vn_config_write_json(f, c);
    fclose(f);
    snprintf(want, sizeof(want),
             "{\n"
             "  \"name\": \"j\",\n"
             "  \"kernel\": \"%s/k.elf\",\n"
             "  \"cmdline\": \"a\\tb\\\"c\",\n"
             "  \"memory\": 64,\n"
             "  \"vcpus\": 1,\n"
             "  \"disks\": [],\n"
             "  \"nics\": [\n"
             "    {\n"
             "      \"mac\": \"00:16:3e:00:00:0a\",\n"
             "      \"switch\": \"vnsw0\",\n"
             "      \"model\": \"netfront\"\n"
             "    }\n"
             "  ],\n"
             "  \"on_poweroff\": \"destroy\",\n"
             "  \"on_reboot\": \"restart\",\n"
             "  \"on_crash\": \"destroy\"\n"
             "}\n",
             dir);
    cr_expect_str_eq(out, want);
    free(out);
    vn_config_free(c);
}
