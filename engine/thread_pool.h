// A fixed set of worker threads running scheduled closures in FIFO order.
//
// Thread safety: Schedule may be called from any thread. The destructor waits for every
// scheduled closure to finish.
#ifndef CDISCAN_ENGINE_THREAD_POOL_H_
#define CDISCAN_ENGINE_THREAD_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace cdiscan::engine {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // `work` receives the index of the worker that runs it, in [0, size()).
  void Schedule(std::function<void(int worker)> work);
  int size() const { return static_cast<int>(workers_.size()); }

 private:
  void Run(int worker);
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::deque<std::function<void(int)>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_THREAD_POOL_H_
