//! Function words left out of queries that have other words: a question such as
//! "Was braucht man, um ein Bankkonto zu eröffnen?" searches `braucht Bankkonto eröffnen`.
//! Without this, pages titled "Was …?" won on `was` and AND-matching ran on `man`, `um`, `zu`
//! (measured on integreat-qa dev; see BENCHMARKS.md). The lists are written as people type the
//! words and folded by the analyzer before they are compared, so `für`/`fuer`, `où`/`ou` and
//! `أين`/`اين` all count.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::analysis::{fold_word, Lang};

const DE: &str = "der die das den dem des ein eine einer eines einem einen und oder aber wie was wer wo wann warum wieso weshalb \
welche welcher welches welchen welchem ist sind war waren wird werden wurde wurden kann kannst können könnte muss musst müssen \
darf dürfen soll sollen sollte ich du er sie es wir ihr man mich mir mein meine meinen sich zu zum zur im in an am auf aus bei \
mit nach von vom vor für über um unter durch gibt haben hat habe hast bin bist sein seine seinen ihre ihren dass ob wenn als \
auch noch nur so sehr viel viele da dort hier etwas alle gilt geht gibt's";
const EN: &str = "the a an and or but how what who whom whose where when why which is are was were be been being do does did \
can could should must may might will would shall i you he she it we they me my your our their its to of in on at for from with \
by about as into if that this these those there here have has had get gets any some all than so please";
const FR: &str = "le la les l un une des du de d et ou mais comment que qu quoi qui où quand pourquoi quel quelle quels quelles \
est sont être a ai as avez avons ont peut peuvent puis pouvez dois doit doivent faut je j tu il elle on nous vous ils elles me m \
mon ma mes ce c cet cette ces se s sa son ses leur leurs en dans sur pour par avec au aux y ne n pas plus très";
const AR: &str = "في من إلى على عن ما ماذا كيف متى أين لماذا هل هو هي هم أنا نحن أنت أنتم التي الذي الذين هذا هذه ذلك تلك \
مع أو و ثم لا لم لن قد كان كانت يكون يمكن أن إن عند كل بعض أي ما هي ما هو";
const FA: &str = "از به در با برای که و یا این آن است هست هستند بود را چه چی چطور چگونه کجا کی چرا آیا من تو او ما شما \
آنها می تا هم نیز اگر یک هر کدام چند باید";

fn list(lang: Lang) -> &'static str {
    match lang {
        Lang::De => DE,
        Lang::En => EN,
        Lang::Fr => FR,
        Lang::Ar => AR,
        Lang::Fa => FA,
    }
}

/// Is `folded` (a word as `fold_word` leaves it) a function word of `lang`?
pub fn is_stopword(lang: Lang, folded: &str) -> bool {
    let mut f = String::new();
    list(lang).split_whitespace().any(|w| {
        f.clear();
        fold_word(lang, w, &mut f);
        f == folded
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(lang: Lang, w: &str) -> String {
        let mut f = String::new();
        fold_word(lang, w, &mut f);
        f
    }

    #[test]
    fn function_words_in_every_spelling() {
        assert!(is_stopword(Lang::De, &folded(Lang::De, "Für")));
        assert!(is_stopword(Lang::De, &folded(Lang::De, "fuer")));
        assert!(is_stopword(Lang::Fr, &folded(Lang::Fr, "Où")));
        assert!(is_stopword(Lang::Ar, &folded(Lang::Ar, "اين")));
        assert!(is_stopword(Lang::Ar, &folded(Lang::Ar, "أين")));
        assert!(!is_stopword(Lang::De, &folded(Lang::De, "Bankkonto")));
        assert!(!is_stopword(Lang::Fa, &folded(Lang::Fa, "بیمه")));
    }
}
