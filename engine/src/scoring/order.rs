//! A small order-statistics set: a treap (randomised balanced search tree) in an arena,
//! each node knowing its subtree size, so insert, remove and "how many keys are less than
//! this one" all take O(log n) expected time (one descent each).

use std::cmp::Ordering;

const NIL: u32 = u32::MAX;

/// One cache line for the scoreboard's keys (48 bytes).
#[derive(Clone, Debug)]
#[repr(align(64))]
struct Node<K> {
    key: K,
    priority: u32,
    size: u32,
    left: u32,
    right: u32,
}

/// A set of distinct keys in order, with rank queries.
#[derive(Clone, Debug)]
pub(crate) struct OrderedSet<K> {
    nodes: Vec<Node<K>>,
    free: Vec<u32>,
    root: u32,
    seed: u64,
}

impl<K: Ord> OrderedSet<K> {
    /// An empty set.
    pub(crate) fn new() -> Self {
        OrderedSet {
            nodes: Vec::new(),
            free: Vec::new(),
            root: NIL,
            seed: 0x9E37_79B9_7F4A_7C15,
        }
    }

    /// Adds `key`; returns false (and changes nothing) if it is already present.
    pub(crate) fn insert(&mut self, key: K) -> bool {
        if self.contains(&key) {
            return false;
        }
        let node = Node {
            key,
            priority: self.next_priority(),
            size: 1,
            left: NIL,
            right: NIL,
        };
        let n = match self.free.pop() {
            Some(n) => {
                self.nodes[n as usize] = node;
                n
            }
            None => {
                self.nodes.push(node);
                u32::try_from(self.nodes.len() - 1).expect("fewer than 2^32 keys")
            }
        };
        self.root = self.insert_at(self.root, n);
        true
    }

    /// Removes `key`; returns whether it was present.
    pub(crate) fn remove(&mut self, key: &K) -> bool {
        let (root, found) = self.remove_at(self.root, key);
        self.root = root;
        found
    }

    /// Whether `key` is present.
    pub(crate) fn contains(&self, key: &K) -> bool {
        let mut n = self.root;
        while n != NIL {
            let node = &self.nodes[n as usize];
            n = match key.cmp(&node.key) {
                Ordering::Less => node.left,
                Ordering::Greater => node.right,
                Ordering::Equal => return true,
            };
        }
        false
    }

    /// How many keys are strictly less than `key`.
    pub(crate) fn count_less(&self, key: &K) -> usize {
        let mut n = self.root;
        let mut count = 0;
        while n != NIL {
            let node = &self.nodes[n as usize];
            if node.key < *key {
                count += self.size(node.left) as usize + 1;
                n = node.right;
            } else {
                n = node.left;
            }
        }
        count
    }

    /// The keys in ascending order.
    pub(crate) fn iter(&self) -> Iter<'_, K> {
        let mut it = Iter {
            set: self,
            stack: Vec::new(),
        };
        it.push_left(self.root);
        it
    }

    fn size(&self, n: u32) -> u32 {
        if n == NIL {
            0
        } else {
            self.nodes[n as usize].size
        }
    }

    fn update(&mut self, n: u32) {
        let node = &self.nodes[n as usize];
        let size = 1 + self.size(node.left) + self.size(node.right);
        self.nodes[n as usize].size = size;
    }

    /// Inserts the detached node `new` (whose key is absent) into the subtree at `n`;
    /// returns the subtree's new root. One descent, then a split of the (small, expected
    /// O(1)) subtree where `new` settles by priority.
    fn insert_at(&mut self, n: u32, new: u32) -> u32 {
        if n == NIL {
            return new;
        }
        if self.nodes[new as usize].priority > self.nodes[n as usize].priority {
            let (left, right) = self.split_at_node(n, new);
            let node = &mut self.nodes[new as usize];
            node.left = left;
            node.right = right;
            self.update(new);
            return new;
        }
        if self.nodes[new as usize].key < self.nodes[n as usize].key {
            let left = self.insert_at(self.nodes[n as usize].left, new);
            self.nodes[n as usize].left = left;
        } else {
            let right = self.insert_at(self.nodes[n as usize].right, new);
            self.nodes[n as usize].right = right;
        }
        self.nodes[n as usize].size += 1;
        n
    }

    /// Removes `key` from the subtree at `n`: (new root, whether it was there).
    fn remove_at(&mut self, n: u32, key: &K) -> (u32, bool) {
        if n == NIL {
            return (NIL, false);
        }
        match key.cmp(&self.nodes[n as usize].key) {
            Ordering::Less => {
                let (left, found) = self.remove_at(self.nodes[n as usize].left, key);
                self.nodes[n as usize].left = left;
                self.nodes[n as usize].size -= u32::from(found);
                (n, found)
            }
            Ordering::Greater => {
                let (right, found) = self.remove_at(self.nodes[n as usize].right, key);
                self.nodes[n as usize].right = right;
                self.nodes[n as usize].size -= u32::from(found);
                (n, found)
            }
            Ordering::Equal => {
                let node = &self.nodes[n as usize];
                let joined = self.merge(node.left, node.right);
                self.free.push(n);
                (joined, true)
            }
        }
    }

    /// Splits the subtree at `n` into keys less than node `pivot`'s key and the rest.
    fn split_at_node(&mut self, n: u32, pivot: u32) -> (u32, u32) {
        if n == NIL {
            return (NIL, NIL);
        }
        if self.nodes[n as usize].key < self.nodes[pivot as usize].key {
            let (a, b) = self.split_at_node(self.nodes[n as usize].right, pivot);
            self.nodes[n as usize].right = a;
            self.update(n);
            (n, b)
        } else {
            let (a, b) = self.split_at_node(self.nodes[n as usize].left, pivot);
            self.nodes[n as usize].left = b;
            self.update(n);
            (a, n)
        }
    }

    /// Joins two trees, every key of `a` being less than every key of `b`.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        if self.nodes[a as usize].priority > self.nodes[b as usize].priority {
            let right = self.merge(self.nodes[a as usize].right, b);
            self.nodes[a as usize].right = right;
            self.update(a);
            a
        } else {
            let left = self.merge(a, self.nodes[b as usize].left);
            self.nodes[b as usize].left = left;
            self.update(b);
            b
        }
    }

    /// splitmix64: priorities need only be independent of the keys.
    fn next_priority(&mut self) -> u32 {
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 32) as u32
    }
}

/// In-order iterator over an [`OrderedSet`].
pub(crate) struct Iter<'a, K> {
    set: &'a OrderedSet<K>,
    stack: Vec<u32>,
}

impl<K> Iter<'_, K> {
    fn push_left(&mut self, mut n: u32) {
        while n != NIL {
            self.stack.push(n);
            n = self.set.nodes[n as usize].left;
        }
    }
}

impl<'a, K> Iterator for Iter<'a, K> {
    type Item = &'a K;

    fn next(&mut self) -> Option<&'a K> {
        let n = self.stack.pop()?;
        let set: &'a OrderedSet<K> = self.set;
        let node = &set.nodes[n as usize];
        self.push_left(node.right);
        Some(&node.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn behaves_like_a_btreeset(ops in prop::collection::vec((any::<bool>(), 0u16..200), 0..400)) {
            let mut set = OrderedSet::new();
            let mut model = BTreeSet::new();
            for (insert, k) in ops {
                if insert {
                    prop_assert_eq!(set.insert(k), model.insert(k));
                } else {
                    prop_assert_eq!(set.remove(&k), model.remove(&k));
                }
                prop_assert_eq!(set.iter().count(), model.len());
                prop_assert_eq!(set.count_less(&k), model.range(..k).count());
            }
            prop_assert!(set.iter().eq(model.iter()));
        }
    }
}
