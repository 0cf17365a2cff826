#include "publish.h"

#include "jobs/base/log.h"
#include "jobs/base/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrfmt("%.*s", (int)(slash - path), path);
}

/* A rename or a new entry is durable only once its folder is flushed. */
static enum vr_status sync_dir(const char *path, struct vr_error *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return vr_fail(err, VR_ERR_OUTPUT, "could not open folder \"%s\": %s", path,
                       strerror(errno));
    int rc = fsync(fd) ? errno : 0;
    close(fd);
    if (rc)
        return vr_fail(err, VR_ERR_OUTPUT, "could not flush folder \"%s\" to disk: %s", path,
                       strerror(rc));
    return VR_OK;
}

/* mkdir -p, flushing the parent of every folder it creates. */
static enum vr_status make_dirs(const char *path, struct vr_error *err)
{
    char *p = xstrdup(path);
    size_t len = strlen(p);
    for (size_t i = 1; i <= len && err->status == VR_OK; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char keep = p[i];
        p[i] = '\0';
        if (mkdir(p, 0755) == 0) {
            char *parent = parent_of(p);
            sync_dir(parent, err);
            free(parent);
        } else if (errno != EEXIST) {
            vr_fail(err, VR_ERR_OUTPUT, "could not create folder \"%s\": %s", p, strerror(errno));
        }
        p[i] = keep;
    }
    free(p);
    return err->status;
}

char *publish_tmp_dir_of(const char *final_dir, long long run_id)
{
    const char *slash = strrchr(final_dir, '/');
    const char *as_of = slash ? slash + 1 : final_dir;
    return xstrfmt("%.*s.tmp-%s-%lld", (int)(as_of - final_dir), final_dir, as_of, run_id);
}

void publish_remove_tree(const char *path)
{
    struct stat st;
    if (path && lstat(path, &st) == 0)
        remove_tree(path);
}

enum vr_status publish_begin(struct publish *p, const char *root, const char *job,
                             const char *as_of, long long run_id,
                             bool (*is_stale)(long long run_id, void *ctx), void *ctx,
                             struct vr_error *err)
{
    memset(p, 0, sizeof(*p));
    p->job_dir = xstrfmt("%s/%s", root, job);
    p->final_dir = xstrfmt("%s/%s", p->job_dir, as_of);
    p->tmp_dir = publish_tmp_dir_of(p->final_dir, run_id);
    if (make_dirs(p->job_dir, err) != VR_OK)
        return err->status;
    DIR *d = opendir(p->job_dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        /* .tmp-<as_of>-<run_id>: a live run's folder is not ours to remove */
        const char *dash = strrchr(e->d_name, '-');
        if (strncmp(e->d_name, ".tmp-", 5) || !dash || !is_stale(strtoll(dash + 1, NULL, 10), ctx))
            continue;
        char *stale = xstrfmt("%s/%s", p->job_dir, e->d_name);
        log_warn("removing \"%s\" left by an interrupted run", stale);
        remove_tree(stale);
        free(stale);
    }
    if (d)
        closedir(d);
    if (mkdir(p->tmp_dir, 0755))
        return vr_fail(err, VR_ERR_OUTPUT, "could not create folder \"%s\": %s", p->tmp_dir,
                       strerror(errno));
    return VR_OK;
}

char *publish_tmp_path(const struct publish *p, const char *file)
{
    return xstrfmt("%s/%s", p->tmp_dir, file);
}

enum vr_status publish_private_dir(const struct publish *p, const char *name,
                                  struct vr_error *err)
{
    char *path = publish_tmp_path(p, name);
    /* 0750: an ops person can give one department's head this folder
     * (group or ACL) without the other departments' */
    if (mkdir(path, 0750) && errno != EEXIST)
        vr_fail(err, VR_ERR_OUTPUT, "could not create folder \"%s\": %s", path, strerror(errno));
    free(path);
    return err->status;
}

char *publish_final_path(const struct publish *p, const char *file)
{
    return xstrfmt("%s/%s", p->final_dir, file);
}

enum vr_status publish_seal_file(const char *path, long long *bytes, char sha256[65],
                                 struct vr_error *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return vr_fail(err, VR_ERR_OUTPUT, "could not read back \"%s\": %s", path, strerror(errno));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ssize_t n;
    long long total = 0;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        EVP_DigestUpdate(ctx, buf, (size_t)n);
        total += n;
    }
    int rc = (n < 0 || fsync(fd)) ? errno : 0;
    close(fd);
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    if (rc)
        return vr_fail(err, VR_ERR_OUTPUT, "could not flush \"%s\": %s", path, strerror(rc));
    for (unsigned int i = 0; i < len && i < 32; i++)
        snprintf(sha256 + 2 * i, 3, "%02x", md[i]);
    *bytes = total;
    return VR_OK;
}

enum vr_status publish_commit(struct publish *p, struct vr_error *err)
{
    if (sync_dir(p->tmp_dir, err) != VR_OK)
        return err->status;
    struct stat st;
    if (stat(p->final_dir, &st) == 0) {
        /* One atomic swap: readers never find the folder missing. */
        if (renameat2(AT_FDCWD, p->tmp_dir, AT_FDCWD, p->final_dir, RENAME_EXCHANGE))
            return vr_fail(err, VR_ERR_OUTPUT, "could not replace \"%s\": %s", p->final_dir,
                           strerror(errno));
    } else if (rename(p->tmp_dir, p->final_dir)) {
        return vr_fail(err, VR_ERR_OUTPUT, "could not publish \"%s\": %s", p->final_dir,
                       strerror(errno));
    }
    p->committed = true;
    /* The swap is done and readers see it; a failed flush only means it
     * might not survive a power cut, which is no reason to unpublish. */
    struct vr_error e = {0};
    if (sync_dir(p->job_dir, &e) != VR_OK)
        log_error("%s", e.msg);
    return VR_OK;
}

void publish_release(struct publish *p)
{
    publish_remove_tree(p->tmp_dir);
    free(p->job_dir);
    free(p->final_dir);
    free(p->tmp_dir);
    memset(p, 0, sizeof(*p));
}
